// QWriteLocker on a QReadWriteLock held while awaiting an external process.
#include <QCoroProcess>
#include <QProcess>
#include <QReadWriteLock>
#include <QWriteLocker>

class ThumbnailIndex : public QObject
{
    Q_OBJECT
public:
    QCoro::Task<bool> rebuild(const QString &dir)
    {
        QWriteLocker locker(&m_lock);
        m_entries.clear();
        QProcess proc;
        proc.start(QStringLiteral("thumbgen"), {dir});
        const bool ok = co_await qCoro(proc).waitForFinished();  // expect: lock-across-suspend
        if (ok)
            m_entries = parse(proc.readAllStandardOutput());
        co_return ok;
    }

private:
    QReadWriteLock m_lock;
    QStringList m_entries;
};
