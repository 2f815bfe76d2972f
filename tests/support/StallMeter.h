#pragma once
// For the GUI tests: the longest time the UI thread went without running a 10 ms timer, from
// construction on. A stall our code causes shows in every apply; one the machine causes (a
// parallel build on two cores) does not, so the tests retry before they judge.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>

class StallMeter : public QObject {
public:
    StallMeter()
    {
        m_ticker.setInterval(10);
        connect(&m_ticker, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.elapsed();
            m_worst = std::max(m_worst, now - m_last);
            m_last = now;
        });
        m_clock.start();
        m_ticker.start();
    }
    void stop() { m_ticker.stop(); }
    qint64 worst() const { return m_worst; }
    qint64 elapsed() const { return m_clock.elapsed(); }

private:
    QElapsedTimer m_clock;
    QTimer m_ticker;
    qint64 m_last = 0;
    qint64 m_worst = 0;
};
