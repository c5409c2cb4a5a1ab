// Inside src/audit: the chain walk that Verify and Checkpoints::Verify share.
#pragma once

#include <map>

#include "audit/audit.hpp"

namespace tinhso::audit::internal {

// Verify, also filling in the hash of each entry whose seq is a key of `hashes` (when given).
Result<VerifyReport> VerifyChain(storage::Database& db,
                                 const std::function<void(std::int64_t)>& progress,
                                 std::map<std::int64_t, std::string>* hashes);

}  // namespace tinhso::audit::internal
