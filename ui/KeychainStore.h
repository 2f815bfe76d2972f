#pragma once
// Secrets in the desktop's keychain through QtKeychain (Debian: qtkeychain-qt6-dev). Built
// without it, available() is false and nothing is stored. read/write wait for the keychain:
// call them from a worker thread only.

#include "Result.h"

#include <QString>

#include <optional>

namespace smtls::gui {

class KeychainStore {
public:
    static bool available();
    static std::optional<QString> read(const QString &key);
    static Status write(const QString &key, const QString &secret);
};

} // namespace smtls::gui
