// Internal: the JSON shapes of agencies and reorganisations, shared by the API (routes.cpp) and
// the audit entries (service.cpp) so both say the same thing the same way.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "agencies/agencies.hpp"

namespace tinhso::agencies::internal {

boost::json::object AgencyToJson(const Agency& a);
boost::json::object ReorganisationToJson(const Reorganisation& r);
boost::json::object ResolutionToJson(const Resolution& r);
boost::json::value DateToJson(const std::optional<Date>& d);

}  // namespace tinhso::agencies::internal
