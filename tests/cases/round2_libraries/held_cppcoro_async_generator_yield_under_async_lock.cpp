// cppcoro::async_generator: the async_mutex_lock is held at every co_yield, so
// the consumer's work between items runs under the lock.
#include <cppcoro/async_generator.hpp>
#include <cppcoro/async_mutex.hpp>
#include <vector>

#include "db/row.h"

class RowStore
{
public:
    cppcoro::async_generator<Row> scan()
    {
        auto lock = co_await m_mutex.scoped_lock_async();
        for (const Row& row : m_rows)
        {
            co_yield row;  // expect: async-lock-across-suspend
        }
    }

private:
    cppcoro::async_mutex m_mutex;
    std::vector<Row> m_rows;
};
