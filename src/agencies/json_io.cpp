#include "agencies/json_io.hpp"

#include <boost/json/array.hpp>

#include "core/parse.hpp"

namespace tinhso::agencies::internal {
namespace {

boost::json::value OptString(const std::optional<std::string>& s) {
  if (s) return boost::json::value(*s);
  return nullptr;
}

}  // namespace

boost::json::value DateToJson(const std::optional<Date>& d) {
  if (d) return boost::json::value(core::FormatDate(*d));
  return nullptr;
}

boost::json::object AgencyToJson(const Agency& a) {
  boost::json::object o;
  o["id"] = a.id;
  o["code"] = a.code;
  o["code_qcvn"] = OptString(a.code_qcvn);
  o["code_confirmed"] = a.code_confirmed;
  if (a.parent_id) {
    o["parent_id"] = *a.parent_id;
  } else {
    o["parent_id"] = nullptr;
  }
  o["name"] = a.name;
  o["name_en"] = a.name_en;
  o["short_name"] = a.short_name;
  o["kind"] = a.kind;
  o["level"] = a.level;
  o["address"] = a.address;
  o["phone"] = a.phone;
  o["email"] = a.email;
  o["website"] = a.website;
  o["valid_from"] = core::FormatDate(a.valid_from);
  o["valid_to"] = DateToJson(a.valid_to);
  o["current"] = a.current();
  o["version"] = a.version;
  o["created_at"] = core::FormatTimestamp(a.created_at);
  o["updated_at"] = core::FormatTimestamp(a.updated_at);
  return o;
}

boost::json::object ReorganisationToJson(const Reorganisation& r) {
  boost::json::object o;
  if (r.preview) {
    o["id"] = nullptr;
  } else {
    o["id"] = r.id;
  }
  o["preview"] = r.preview;
  o["kind"] = r.kind;
  o["effective_date"] = core::FormatDate(r.effective_date);
  o["decision"] = r.decision;
  o["note"] = r.note;
  o["confirmed"] = r.confirmed;
  if (r.external_ref.empty()) {
    o["external_ref"] = nullptr;
  } else {
    o["external_ref"] = r.external_ref;
  }
  o["created_by"] = r.created_by;
  o["created_at"] = core::FormatTimestamp(r.created_at);
  boost::json::array agencies;
  for (const auto& a : r.agencies) {
    agencies.push_back(boost::json::object{{"agency_id", a.agency_id},
                                           {"code", a.code},
                                           {"name", a.name},
                                           {"role", a.role},
                                           {"primary", a.primary}});
  }
  o["agencies"] = std::move(agencies);
  boost::json::array children;
  for (const auto& c : r.children) {
    children.push_back(boost::json::object{{"agency_id", c.agency_id},
                                           {"code", c.code},
                                           {"from_parent_id", c.from_parent_id},
                                           {"to_parent_id", c.to_parent_id}});
  }
  o["children"] = std::move(children);
  boost::json::array moves;
  for (const auto& m : r.moves) {
    moves.push_back(boost::json::object{{"kind", m.kind},
                                        {"from_agency_id", m.from_agency_id},
                                        {"to_agency_id", m.to_agency_id},
                                        {"count", m.count}});
  }
  o["moves"] = std::move(moves);
  boost::json::array codes;
  for (const auto& c : r.codes) {
    codes.push_back(boost::json::object{{"code", c.code},
                                        {"code_qcvn", OptString(c.code_qcvn)},
                                        {"agency_id", c.agency_id},
                                        {"resolves_to_id", c.resolves_to_id}});
  }
  o["codes"] = std::move(codes);
  return o;
}

boost::json::object ResolutionToJson(const Resolution& r) {
  boost::json::array path;
  for (auto id : r.path) path.push_back(id);
  return boost::json::object{{"code", r.code},
                             {"holder_id", r.holder_id},
                             {"redirected", r.redirected},
                             {"path", std::move(path)},
                             {"agency", AgencyToJson(r.agency)}};
}

}  // namespace tinhso::agencies::internal
