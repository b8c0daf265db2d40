// Free TCP ports on 127.0.0.1 for the tests.
#pragma once

namespace sqlflow::testing {

/// A TCP port on 127.0.0.1 that nothing listens on: bound, read and closed again (for "server
/// is down" tests and servers that need their port before they start). Throws
/// std::runtime_error when no port can be bound.
int UnusedPort();

}  // namespace sqlflow::testing
