// The QMutexLocker lives inside a slot lambda connected to a signal; the coroutine
// itself never holds the mutex when it awaits the reply.
#include <QCoroNetworkReply>
#include <QMutex>
#include <QMutexLocker>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>

class Crawler : public QObject
{
    Q_OBJECT
public:
    QCoro::Task<int> crawl(const QUrl &url)
    {
        auto *reply = m_nam.get(QNetworkRequest(url));
        connect(reply, &QNetworkReply::finished, this, [this, reply] {
            QMutexLocker locker(&m_mutex);
            m_visited.insert(reply->url());
        });
        co_await qCoro(reply).waitForFinished();
        reply->deleteLater();
        co_return reply->error() == QNetworkReply::NoError ? 1 : 0;
    }

private:
    QMutex m_mutex;
    QSet<QUrl> m_visited;
    QNetworkAccessManager m_nam;
};
