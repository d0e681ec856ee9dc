// QMutexLocker::unlock() releases the mutex before the coroutine suspends.
#include <QMutex>
#include <QMutexLocker>
#include "coro.h"

class Playlist
{
public:
    demo::Task<void> append(int track)
    {
        QMutexLocker locker(&m_mutex);
        const int snapshot = (m_count += track);
        locker.unlock();
        co_await demo::write_socket(snapshot);
    }

private:
    QMutex m_mutex;
    int m_count = 0;
};
