// The demo province's administrative units as a shared category (donvihanhchinh), built from the
// agency tree `tinhso demo load` loads: the units are the territories of the people's committees
// in that tree, so the list and its 1 July 2025 change come from the same data as the agencies.
#pragma once

#include "agencies/agencies.hpp"
#include "core/actor.hpp"
#include "core/result.hpp"
#include "nationaldb/categories.hpp"

namespace tinhso::app {

// Publishes two versions of "donvihanhchinh" unless they are there: the units as they stood on
// 30 June 2025 (province, district, commune; from 1 January 2025) and from 1 July 2025 (province
// and commune). Each unit's code is its people's committee's agency code (the statistics
// office's unit codes are not in the demo data), its parent the nearest unit above it.
// Idempotent. Errors: those of the agencies' List and of Categories.
Result<nationaldb::LoadStats> LoadDemoAdministrativeUnits(const agencies::Service& agencies,
                                                          nationaldb::Categories& categories,
                                                          const core::Actor& actor);

}  // namespace tinhso::app
