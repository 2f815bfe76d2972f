#pragma once
// The threads the window's file and SSH work runs on.
//
// Not QThreadPool::globalInstance(): Qt 6.4 converts and scales large images on the global
// pool while painting and waits for those pieces, so an SSH session holding a global thread
// for a second froze the window for that second (measured: 760-830 ms paint events during a
// 3-host apply on a 2-core machine, tests/gui/tst_guiremote). The work is I/O-bound, so the
// pool has more threads than cores: every selected host proceeds at once.

class QThreadPool;

namespace smtls::gui {

// Created on first use on the UI thread; owned by the application object, whose end waits
// for the work still running.
QThreadPool *workerPool();

} // namespace smtls::gui
