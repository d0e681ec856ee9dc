// Turns one webhook delivery into queue entries, fast: the signature is
// checked before anything is parsed, and an accepted delivery is committed
// to the queue before the answer goes back to GitHub.
#pragma once

#include <map>
#include <string>

#include "bot/job_queue.h"
#include "bot/metrics.h"

namespace lockspan::bot {

struct IntakeAnswer {
  int status = 200;
  std::string body;     // JSON
  std::string outcome;  // queued | ignored | duplicate | rejected:<why>
  std::string event, delivery_id;
};

// `headers` names are lowercased.
IntakeAnswer take_delivery(const std::map<std::string, std::string>& headers, const std::string& body,
                           const std::string& secret, JobQueue& queue, Metrics& metrics);

}  // namespace lockspan::bot
