// Internal: reads and writes of the agencies tables through a storage::Transaction. The only
// code that runs SQL (statements in sql.hpp). No rules here: service.cpp decides.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agencies/agencies.hpp"
#include "storage/database.hpp"

namespace tinhso::agencies::store {

using storage::Transaction;

Result<std::optional<Agency>> FindAgency(Transaction& tx, std::int64_t id);
Result<std::optional<Agency>> FindByCode(Transaction& tx, std::string_view code);
// Agencies that ever held `code` (QĐ 20 form), newest first.
Result<std::vector<std::int64_t>> CodeHolders(Transaction& tx, std::string_view code);
Result<std::vector<Agency>> CurrentChildren(Transaction& tx, std::int64_t parent_id);

// Inserts `a` (id, version, valid_to ignored) and returns its id.
Result<std::int64_t> InsertAgency(Transaction& tx, const Agency& a, std::string_view search_key);
// Writes code and descriptive fields when a.version is still the stored one; false otherwise.
Result<bool> RewriteAgency(Transaction& tx, const Agency& a, std::string_view search_key,
                           core::Seconds now);
Result<void> SetParent(Transaction& tx, std::int64_t id, std::optional<std::int64_t> parent_id,
                       int level, core::Seconds now);
Result<void> SetLevel(Transaction& tx, std::int64_t id, int level);
Result<void> CloseAgency(Transaction& tx, std::int64_t id, Date valid_to, core::Seconds now);

Result<void> InsertCode(Transaction& tx, std::int64_t agency_id, std::string_view code,
                        const std::optional<std::string>& code_qcvn, Date valid_from);
Result<void> CloseCode(Transaction& tx, std::int64_t agency_id, std::string_view code,
                       Date valid_to, std::int64_t reorganisation_id);
Result<void> InsertParentHistory(Transaction& tx, std::int64_t agency_id,
                                 std::optional<std::int64_t> parent_id, Date valid_from);
Result<void> CloseParentHistory(Transaction& tx, std::int64_t agency_id, Date valid_to);

Result<void> InsertSuccessor(Transaction& tx, std::int64_t agency_id, std::int64_t successor_id,
                             bool primary, std::int64_t reorganisation_id);
Result<std::optional<std::int64_t>> PrimarySuccessor(Transaction& tx, std::int64_t agency_id);

// `search_pattern` is a LIKE pattern (already escaped), empty for no search.
Result<AgencyPage> ListAgencies(Transaction& tx, const ListQuery& query,
                                std::string_view search_pattern);

struct TreeRows {
  std::vector<Agency> agencies;                                    // every one, closed too
  std::vector<std::pair<std::int64_t, std::int64_t>> successor;    // closed → primary
  std::vector<std::pair<std::string, std::int64_t>> code_holders;  // as CodeHolders orders them
};
Result<TreeRows> LoadTree(Transaction& tx);

Result<std::int64_t> InsertReorganisation(Transaction& tx, const Reorganisation& r);
Result<std::optional<std::int64_t>> FindReorganisationByRef(Transaction& tx, std::string_view ref);
Result<void> InsertReorganisationAgency(Transaction& tx, std::int64_t reorganisation_id,
                                        std::int64_t agency_id, std::string_view role,
                                        bool primary);
Result<void> InsertReorganisationMove(Transaction& tx, std::int64_t reorganisation_id,
                                      const WorkMove& move);
Result<ReorganisationPage> ListReorganisations(Transaction& tx, int limit, int offset,
                                               std::optional<std::int64_t> agency_id);

}  // namespace tinhso::agencies::store
