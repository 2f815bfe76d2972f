// sendmail-tls expire: every exception whose expiry has passed is removed, on each host (or the
// local tree), through the same pipeline as `set` (validated, snapshotted). Meant for a timer
// (resources/systemd/sendmail-tls-expire.{service,timer}).
#include "ApplyRunner.h"
#include "Commands.h"
#include "Output.h"

namespace smtls::cli {

int runExpire(const CliOptions &options)
{
    if (!options.arguments.isEmpty())
        return fail(makeError(ErrorKind::Usage, QStringLiteral("expire takes no arguments")));
    return applyThroughPipeline(options, Change::expireAll());
}

} // namespace smtls::cli
