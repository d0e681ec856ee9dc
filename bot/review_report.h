// Renders a review: JSON (the contract's `review` object), markdown (as
// GitHub shows it), text and SARIF.
#pragma once

#include <string>

#include "bot/report.h"
#include "bot/review.h"

namespace lockspan::bot {

nlohmann::ordered_json review_json(const Review& r, const ReportContext& ctx);
// The request body of POST /repos/{o}/{r}/pulls/{n}/reviews.
nlohmann::ordered_json review_request_body(const Review& r);
std::string review_markdown(const Review& r);
std::string review_text(const Review& r);
nlohmann::ordered_json review_sarif(const Review& r, const ReportContext& ctx);

}  // namespace lockspan::bot
