// QMutexLocker locks a QMutex* and unlocks in its destructor; Qt brace style.
#include <QMutex>
#include <QMutexLocker>
#include "coro.h"

class Playlist
{
public:
    demo::Task<void> append(int track)
    {
        QMutexLocker locker(&m_mutex);
        m_count += track;
        co_await demo::resume_on_pool();  // expect: lock-across-suspend
        m_count += 1;
    }

private:
    QMutex m_mutex;
    int m_count = 0;
};
