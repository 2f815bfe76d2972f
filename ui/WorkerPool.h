#pragma once
// The threads the window's file and SSH work runs on.
//
// Not QThreadPool::globalInstance(): Qt 6.4 converts and scales large images on the global
// pool while painting and waits for those pieces, so an SSH session holding a global thread
// for a second froze the window for that second (measured: 760-830 ms paint events during a
// 3-host apply on a 2-core machine, tests/gui/tst_guiremote). The work is I/O-bound, so the
// pool has more threads than cores: every selected host proceeds at once.

#include <functional>
#include <memory>
#include <utility>

class QThreadPool;

namespace smtls::gui {

// Created on first use on the UI thread; owned by the application object, whose end waits
// for the work still running.
QThreadPool *workerPool();

// Runs FREE on a worker when called on the UI thread (else right here).
void freeOffUiThread(std::function<void()> free);

// Shared data too large to free on the UI thread: a million destination rules are two million
// small strings, ~100 ms to free (measured, tests/gui/tst_guibigmap). Whoever drops the last
// reference, the freeing happens on a worker.
template <typename T, typename... Args>
std::shared_ptr<const T> makeLargeShared(Args &&...args)
{
    return std::shared_ptr<const T>(new T(std::forward<Args>(args)...), [](const T *data) { freeOffUiThread([data] { delete data; }); });
}

} // namespace smtls::gui
