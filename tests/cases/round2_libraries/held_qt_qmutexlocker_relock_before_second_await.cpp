// QMutexLocker::unlock() covers the network reply, but relock() re-takes the mutex
// before the delay, which is then awaited under the lock.
#include <QCoroNetworkReply>
#include <QCoroTimer>
#include <QHash>
#include <QMutexLocker>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace std::chrono_literals;

class AvatarCache : public QObject
{
    Q_OBJECT
public:
    QCoro::Task<QByteArray> avatar(const QUrl &url)
    {
        QMutexLocker locker(&m_mutex);
        if (m_cache.contains(url))
            co_return m_cache.value(url);
        locker.unlock();

        std::unique_ptr<QNetworkReply> reply(m_nam.get(QNetworkRequest(url)));
        co_await reply.get();
        const QByteArray data = reply->readAll();

        locker.relock();
        m_cache.insert(url, data);
        co_await QCoro::sleepFor(10ms);  // expect: lock-across-suspend
        co_return data;
    }

private:
    QMutex m_mutex;
    QHash<QUrl, QByteArray> m_cache;
    QNetworkAccessManager m_nam;
};
