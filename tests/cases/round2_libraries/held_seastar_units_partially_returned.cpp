// Memory units from get_units(sem, 2 * n): return_units(n) gives back only half,
// so the remaining units are still held at the write.
#include <seastar/core/coroutine.hh>
#include <seastar/core/semaphore.hh>

#include "io/output_stream.hh"

class batch_uploader {
    seastar::semaphore _memory{64 << 20};
    output_stream<char> _out;
public:
    seastar::future<> upload(temporary_buffer<char> header, temporary_buffer<char> body) {
        const size_t n = body.size();
        auto units = co_await seastar::get_units(_memory, 2 * n);
        auto compressed = compress(std::move(body));
        units.return_units(n);
        co_await _out.write(std::move(header));  // expect: async-lock-across-suspend
        co_await _out.write(std::move(compressed));
        co_await _out.flush();
    }
};
