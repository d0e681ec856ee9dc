// Every LOGX(...) call takes the logging mutex inside its own do/while(0) block;
// none of them is alive at the awaits between the log lines.
#include <string>
#include <vector>

#include "coro.h"
#include "logging.h"

namespace uploader {

class BlobUploader {
 public:
  demo::Task<int> upload_all(const std::vector<std::string>& blobs) {
    LOGX(1, "uploading %zu blobs\n", blobs.size());
    int ok = 0;
    for (const auto& blob : blobs) {
      if (blob.empty()) {
        LOGX(2, "skipping empty blob\n");
        continue;
      }
      LOGX(2, "sending %zu bytes\n", blob.size());
      const int ack = co_await demo::write_socket(static_cast<int>(blob.size()));
      if (ack < 0) {
        LOGX(0, "upload failed: %d\n", ack);
        co_await demo::sleep_for(20);
        continue;
      }
      ++ok;
    }
    LOGX(1, "uploaded %d/%zu\n", ok, blobs.size());
    co_await demo::yield_now();
    co_return ok;
  }
};

}  // namespace uploader
