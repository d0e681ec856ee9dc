// Qt 6 spells the locker as a template: QMutexLocker<QRecursiveMutex>.
#include <QCoroTimer>
#include <QMutexLocker>
#include <QRecursiveMutex>

using namespace std::chrono_literals;

class Journal : public QObject
{
    Q_OBJECT
public:
    QCoro::Task<void> flushPeriodically()
    {
        while (m_running) {
            QMutexLocker<QRecursiveMutex> locker(&m_mutex);
            writePending();
            co_await QCoro::sleepFor(500ms);  // expect: lock-across-suspend
        }
    }

private:
    void writePending();
    QRecursiveMutex m_mutex;
    bool m_running = true;
};
