// The dossiers' events as notifications: a dossiers::EventListener that enqueues, inside the
// transition's transaction, the template each event calls for (issue 16 §2).
#pragma once

#include <string>

#include "dossiers/dossiers.hpp"
#include "notify/notify.hpp"

namespace tinhso::app {

class DossierNotifier final : public dossiers::EventListener {
 public:
  DossierNotifier(const notify::Outbox& outbox, std::string lookup_url)
      : outbox_(outbox), lookup_url_(std::move(lookup_url)) {}
  Result<void> OnEvent(storage::Transaction& tx, const dossiers::Dossier& dossier,
                       const dossiers::Event& event, std::string_view reason) override;

 private:
  const notify::Outbox& outbox_;
  std::string lookup_url_;
};

}  // namespace tinhso::app
