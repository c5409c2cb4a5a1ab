// The dossiers' events as notifications: a dossiers::EventListener that enqueues, inside the
// transition's transaction, the template each event calls for (issue 16 §2).
#pragma once

#include <string>

#include "catalog/catalog.hpp"
#include "dossiers/dossiers.hpp"
#include "notify/notify.hpp"

namespace tinhso::app {

class DossierNotifier final : public dossiers::EventListener {
 public:
  // `catalog` names the procedure: a dossier read from its row carries only the code.
  DossierNotifier(const notify::Outbox& outbox, const catalog::Service& catalog,
                  std::string lookup_url)
      : outbox_(outbox), catalog_(catalog), lookup_url_(std::move(lookup_url)) {}
  Result<void> OnEvent(storage::Transaction& tx, const dossiers::Dossier& dossier,
                       const dossiers::Event& event, std::string_view reason) override;

 private:
  const notify::Outbox& outbox_;
  const catalog::Service& catalog_;
  std::string lookup_url_;
};

}  // namespace tinhso::app
