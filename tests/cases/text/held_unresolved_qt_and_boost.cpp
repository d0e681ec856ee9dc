// Qt, QCoro and Boost headers are missing; QMutexLocker and boost::mutex::scoped_lock are still locks.
#include <QCoroTask>
#include <QMutex>
#include <QString>
#include <boost/thread/mutex.hpp>

class Player
{
public:
    QCoro::Task<void> load(const QString& path)
    {
        QMutexLocker locker(&m_mutex);
        m_path = path;
        co_await m_loader.open(path);  // expect: lock-across-suspend
    }

private:
    QMutex m_mutex;
    QString m_path;
    Loader m_loader;
};

boost::mutex cache_mtx;

QCoro::Task<int> warm(Loader& loader) {
  boost::mutex::scoped_lock lock(cache_mtx);
  co_return co_await loader.count();  // expect: lock-across-suspend
}
