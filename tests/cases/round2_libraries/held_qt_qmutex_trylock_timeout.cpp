// QMutex::tryLock(timeout): the failed path returns; on success the mutex is held
// across the await and unlocked only afterwards.
#include <QCoroSignal>
#include <QMutex>

class Uploader : public QObject
{
    Q_OBJECT
public:
    QCoro::Task<bool> upload(QByteArray payload)
    {
        if (!m_mutex.tryLock(50))
            co_return false;
        m_pending += payload.size();
        m_socket->write(payload);
        co_await qCoro(m_socket, &QIODevice::bytesWritten);  // expect: lock-across-suspend
        m_pending -= payload.size();
        m_mutex.unlock();
        co_return true;
    }

private:
    QMutex m_mutex;
    qint64 m_pending = 0;
    QTcpSocket *m_socket = nullptr;
};
