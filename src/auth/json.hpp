// The one JSON form of an account: the API's and the audit log's (never the password hash).
#pragma once

#include <boost/json/object.hpp>

#include "auth/auth.hpp"

namespace tinhso::auth {

boost::json::object UserToJson(const User& u);

}  // namespace tinhso::auth
