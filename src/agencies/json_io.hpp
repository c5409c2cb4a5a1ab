// Internal: the JSON of agencies and reorganisations (their API views, agencies/api.hpp) for
// the audit entries (service.cpp), so that the log and the API say the same thing the same way.
#pragma once

#include <boost/json/object.hpp>

#include "agencies/agencies.hpp"

namespace tinhso::agencies::internal {

boost::json::object AgencyToJson(const Agency& a);
boost::json::object ReorganisationToJson(const Reorganisation& r);

}  // namespace tinhso::agencies::internal
