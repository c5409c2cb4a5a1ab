// National databases' requests made now and sent later: a registration the one-stop system
// queues in its outbox inside the transaction that decides it (src/outbox), delivered through
// the gateway after the commit. The body is the one the adapter would send at once
// (CivilRegistration::DangKyHoTich), so that the registry cannot tell the two apart.
#pragma once

#include "core/result.hpp"
#include "nationaldb/nationaldb.hpp"

namespace tinhso::nationaldb {

/// dangKyHoTich as a call to the civil registration service (kCivilRegistrationService).
/// Errors: kInvalidArgument "nationaldb.query_invalid" (an empty key, a malformed date).
Result<Call> DangKyHoTichCall(const CivilDossier& dossier);

}  // namespace tinhso::nationaldb
