// seastar::get_unique_lock(shared_mutex&) resolves to a std::unique_lock over a
// seastar::shared_mutex: a coroutine-aware lock held across the compaction.
#include <seastar/core/coroutine.hh>
#include <seastar/core/shared_mutex.hh>
#include <seastar/coroutine/parallel_for_each.hh>

#include "sstables/compaction.hh"

namespace compaction {

class compaction_group {
    seastar::shared_mutex _sstables_lock;
    std::vector<sstables::shared_sstable> _candidates;
    compaction_manager& _cm;
public:
    seastar::future<> major_compact() {
        auto lock = co_await seastar::get_unique_lock(_sstables_lock);
        auto inputs = std::exchange(_candidates, {});
        co_await seastar::coroutine::parallel_for_each(inputs, [this] (auto& sst) {  // expect: async-lock-across-suspend
            return _cm.rewrite(sst);
        });
    }
};

} // namespace compaction
