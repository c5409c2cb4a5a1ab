// Loads the demo agency tree and its 2025 reorganisations from JSON. Everything province-specific
// (names, codes, dates, decisions) is in the data files; this file knows only their shape
// (data/demo/README.md describes it).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fstream>
#include <sstream>
#include <utility>

#include "agencies/agencies.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"

namespace tinhso::agencies {
namespace {

namespace bj = boost::json;

constexpr std::string_view kAgenciesFile = "agencies_bac_kan.json";
constexpr std::string_view kReorganisationsFile = "reorganisations_2025.json";

// Which file and entry an error is about, so that a data fix is one look away.
struct Where {
  std::string file;
  std::string entry;
};

Error Invalid(const Where& where, std::string_view why_vi, std::string_view why_en) {
  return MakeError(ErrorCode::kInvalidArgument, "agency.demo_invalid",
                   "Tệp " + where.file + ", mục " + where.entry + ": " + std::string(why_vi),
                   "File " + where.file + ", entry " + where.entry + ": " + std::string(why_en));
}

// Errors from the service or from field parsing keep their reason and messages; the entry is
// prefixed so that the operator sees where in the file it happened.
Error At(const Where& where, Error e) {
  e.message_vi = "Tệp " + where.file + ", mục " + where.entry + ": " + e.message_vi;
  e.message_en = "File " + where.file + ", entry " + where.entry + ": " + e.message_en;
  e.detail = where.file + " " + where.entry + (e.detail.empty() ? "" : ": " + e.detail);
  return e;
}

Result<bj::object> ReadObject(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "agency.demo_missing",
                     "Không đọc được tệp dữ liệu mẫu " + file.string() + ".",
                     "Cannot read the demo data file " + file.string() + ".");
  }
  std::ostringstream text;
  text << in.rdbuf();
  // Depth: the agency tree nests province → district → commune, two JSON levels each.
  auto parsed = json::ParseObject(text.str(), 64);
  if (!parsed.ok()) return At({file.filename().string(), "(tệp/file)"}, std::move(parsed).error());
  return std::move(*parsed);
}

template <typename T>
Result<T> Field(const Where& where, Result<T> r) {
  if (!r.ok()) return At(where, std::move(r).error());
  return r;
}

Result<std::string> Str(const Where& w, const bj::object& o, std::string_view f) {
  return Field(w, json::RequiredString(o, f, 2000));
}
Result<std::string> OptStr(const Where& w, const bj::object& o, std::string_view f) {
  TINHSO_ASSIGN_OR_RETURN(auto s, Field(w, json::OptionalString(o, f, 2000)));
  return s.value_or("");
}

Result<Date> DateField(const Where& w, const bj::object& o, std::string_view f) {
  TINHSO_ASSIGN_OR_RETURN(auto text, Str(w, o, f));
  auto d = core::ParseDate(text);
  if (!d) {
    return Invalid(w, std::string(f) + " không phải ngày YYYY-MM-DD hợp lệ: " + text,
                   std::string(f) + " is not a valid YYYY-MM-DD date: " + text);
  }
  return *d;
}

Result<const bj::array*> OptArray(const Where& w, const bj::object& o, std::string_view f) {
  auto it = o.find(f);
  if (it == o.end() || it->value().is_null()) return static_cast<const bj::array*>(nullptr);
  if (!it->value().is_array()) {
    return Invalid(w, std::string(f) + " phải là mảng.", std::string(f) + " must be an array.");
  }
  return &it->value().as_array();
}

Result<const bj::object*> OptObject(const Where& w, const bj::object& o, std::string_view f) {
  auto it = o.find(f);
  if (it == o.end() || it->value().is_null()) return static_cast<const bj::object*>(nullptr);
  if (!it->value().is_object()) {
    return Invalid(w, std::string(f) + " phải là đối tượng.",
                   std::string(f) + " must be an object.");
  }
  return &it->value().as_object();
}

Result<std::vector<std::string>> StrList(const Where& w, const bj::object& o, std::string_view f) {
  TINHSO_ASSIGN_OR_RETURN(auto arr, OptArray(w, o, f));
  std::vector<std::string> out;
  if (!arr) return out;
  for (const auto& v : *arr) {
    if (!v.is_string()) {
      return Invalid(w, std::string(f) + " chỉ chứa chuỗi.",
                     std::string(f) + " must hold strings.");
    }
    out.emplace_back(v.as_string());
  }
  return out;
}

// The fields of an agency entry, without its parent and children.
Result<AgencyInput> ReadAgency(const Where& w, const bj::object& o) {
  AgencyInput in;
  TINHSO_ASSIGN_OR_RETURN(in.code, Str(w, o, "code"));
  TINHSO_ASSIGN_OR_RETURN(in.name, Str(w, o, "name"));
  TINHSO_ASSIGN_OR_RETURN(in.kind, Str(w, o, "kind"));
  TINHSO_ASSIGN_OR_RETURN(in.name_en, OptStr(w, o, "name_en"));
  TINHSO_ASSIGN_OR_RETURN(in.short_name, OptStr(w, o, "short_name"));
  TINHSO_ASSIGN_OR_RETURN(in.address, OptStr(w, o, "address"));
  TINHSO_ASSIGN_OR_RETURN(in.phone, OptStr(w, o, "phone"));
  TINHSO_ASSIGN_OR_RETURN(in.email, OptStr(w, o, "email"));
  TINHSO_ASSIGN_OR_RETURN(in.website, OptStr(w, o, "website"));
  TINHSO_ASSIGN_OR_RETURN(in.code_confirmed,
                          Field(w, json::OptionalBool(o, "code_confirmed", false)));
  if (o.contains("valid_from")) {
    TINHSO_ASSIGN_OR_RETURN(auto d, DateField(w, o, "valid_from"));
    in.valid_from = d;
  }
  return in;
}

class Loader {
 public:
  Loader(Service& service, const core::Actor& actor) : service_(service), actor_(actor) {}

  Result<void> Node(const Where& w, const bj::object& node, std::optional<std::int64_t> parent) {
    TINHSO_ASSIGN_OR_RETURN(auto input, ReadAgency(w, node));
    std::int64_t id = 0;
    auto existing = service_.Resolve(input.code);
    if (existing.ok()) {
      id = existing->holder_id;  // loaded before: idempotent
      ++stats_.agencies_skipped;
    } else if (existing.error().code == ErrorCode::kNotFound) {
      input.parent_id = parent;
      auto created = service_.Create(input, actor_);
      if (!created.ok()) return At(w, std::move(created).error());
      id = created->id;
      ++stats_.agencies_created;
    } else {
      return At(w, std::move(existing).error());
    }
    TINHSO_ASSIGN_OR_RETURN(auto children, OptArray(w, node, "children"));
    if (!children) return Ok();
    for (std::size_t i = 0; i < children->size(); ++i) {
      Where cw{w.file, w.entry + ".children[" + std::to_string(i) + "]"};
      if (!(*children)[i].is_object())
        return Invalid(cw, "phải là đối tượng.", "must be an object.");
      TINHSO_RETURN_IF_ERROR(Node(cw, (*children)[i].as_object(), id));
    }
    return Ok();
  }

  Result<void> Op(const Where& w, const bj::object& o) {
    OperationInfo info;
    TINHSO_ASSIGN_OR_RETURN(info.external_ref, Str(w, o, "ref"));
    TINHSO_ASSIGN_OR_RETURN(info.effective_date, DateField(w, o, "effective_date"));
    TINHSO_ASSIGN_OR_RETURN(info.decision, Str(w, o, "decision"));
    TINHSO_ASSIGN_OR_RETURN(info.note, OptStr(w, o, "note"));
    TINHSO_ASSIGN_OR_RETURN(info.confirmed, Field(w, json::OptionalBool(o, "confirmed", true)));
    TINHSO_ASSIGN_OR_RETURN(auto kind, Str(w, o, "kind"));

    Operation op;
    if (kind == "merge") {
      MergeInput in{.info = info};
      TINHSO_ASSIGN_OR_RETURN(auto sources, StrList(w, o, "sources"));
      for (const auto& code : sources) {
        TINHSO_ASSIGN_OR_RETURN(auto id, Holder(w, code));
        in.source_ids.push_back(id);
      }
      TINHSO_ASSIGN_OR_RETURN(in.target, Target(w, o, "target", "new_target"));
      op = std::move(in);
    } else if (kind == "split") {
      SplitInput in{.info = info};
      TINHSO_ASSIGN_OR_RETURN(auto source, Str(w, o, "source"));
      TINHSO_ASSIGN_OR_RETURN(in.source_id, Holder(w, source));
      TINHSO_ASSIGN_OR_RETURN(auto targets, OptArray(w, o, "targets"));
      if (!targets) return Invalid(w, "thiếu targets.", "targets is missing.");
      for (std::size_t i = 0; i < targets->size(); ++i) {
        Where tw{w.file, w.entry + ".targets[" + std::to_string(i) + "]"};
        if (!(*targets)[i].is_object())
          return Invalid(tw, "phải là đối tượng.", "must be an object.");
        const bj::object& t = (*targets)[i].as_object();
        SplitTarget st;
        TINHSO_ASSIGN_OR_RETURN(st.target, Target(tw, t, "agency", "new_agency"));
        TINHSO_ASSIGN_OR_RETURN(st.primary, Field(tw, json::OptionalBool(t, "primary", false)));
        TINHSO_ASSIGN_OR_RETURN(auto children, StrList(tw, t, "children"));
        for (const auto& code : children) {
          TINHSO_ASSIGN_OR_RETURN(auto id, Holder(tw, code));
          st.child_ids.push_back(id);
        }
        TINHSO_ASSIGN_OR_RETURN(st.work_kinds, StrList(tw, t, "work"));
        in.targets.push_back(std::move(st));
      }
      op = std::move(in);
    } else if (kind == "rename") {
      RenameInput in{.info = info};
      TINHSO_ASSIGN_OR_RETURN(auto agency, Str(w, o, "agency"));
      TINHSO_ASSIGN_OR_RETURN(in.agency_id, Holder(w, agency));
      TINHSO_ASSIGN_OR_RETURN(in.name, Field(w, json::OptionalString(o, "name", 2000)));
      TINHSO_ASSIGN_OR_RETURN(in.name_en, Field(w, json::OptionalString(o, "name_en", 2000)));
      TINHSO_ASSIGN_OR_RETURN(in.short_name, Field(w, json::OptionalString(o, "short_name", 2000)));
      TINHSO_ASSIGN_OR_RETURN(in.kind, Field(w, json::OptionalString(o, "new_kind", 100)));
      TINHSO_ASSIGN_OR_RETURN(in.code, Field(w, json::OptionalString(o, "new_code", 100)));
      if (o.contains("code_confirmed")) {
        TINHSO_ASSIGN_OR_RETURN(in.code_confirmed,
                                Field(w, json::OptionalBool(o, "code_confirmed", false)));
      }
      op = std::move(in);
    } else if (kind == "move") {
      MoveInput in{.info = info};
      TINHSO_ASSIGN_OR_RETURN(auto agency, Str(w, o, "agency"));
      TINHSO_ASSIGN_OR_RETURN(in.agency_id, Holder(w, agency));
      TINHSO_ASSIGN_OR_RETURN(auto parent, Str(w, o, "parent"));
      TINHSO_ASSIGN_OR_RETURN(in.new_parent_id, Current(w, parent));
      op = std::move(in);
    } else {
      return Invalid(w, "kind phải là merge, split, rename hoặc move.",
                     "kind must be merge, split, rename or move.");
    }

    auto done = service_.Apply(op, actor_);
    if (!done.ok()) {
      if (done.error().reason == "agency.reorganisation_recorded") {
        ++stats_.reorganisations_skipped;  // loaded before: idempotent
        return Ok();
      }
      return At(w, std::move(done).error());
    }
    ++stats_.reorganisations_applied;
    for (const WorkMove& m : done->moves) {
      if (m.kind != "children") stats_.work_moved += m.count;
    }
    return Ok();
  }

  const DemoStats& stats() const { return stats_; }

 private:
  // The agency that holds or held `code`: sources are named by the code they had.
  Result<std::int64_t> Holder(const Where& w, const std::string& code) {
    auto r = service_.Resolve(code);
    if (!r.ok()) return At(w, std::move(r).error());
    return r->holder_id;
  }
  // The agency that stands for `code` today: targets and parents.
  Result<std::int64_t> Current(const Where& w, const std::string& code) {
    auto r = service_.Resolve(code);
    if (!r.ok()) return At(w, std::move(r).error());
    return r->agency.id;
  }

  Result<TargetRef> Target(const Where& w, const bj::object& o, std::string_view existing_field,
                           std::string_view new_field) {
    TargetRef ref;
    TINHSO_ASSIGN_OR_RETURN(auto existing, Field(w, json::OptionalString(o, existing_field, 100)));
    TINHSO_ASSIGN_OR_RETURN(auto created, OptObject(w, o, new_field));
    if (existing.has_value() == (created != nullptr)) {
      return Invalid(w,
                     "cần đúng một trong " + std::string(existing_field) + " và " +
                         std::string(new_field) + ".",
                     "needs exactly one of " + std::string(existing_field) + " and " +
                         std::string(new_field) + ".");
    }
    if (existing) {
      TINHSO_ASSIGN_OR_RETURN(ref.agency_id, Current(w, *existing));
      return ref;
    }
    Where nw{w.file, w.entry + "." + std::string(new_field)};
    TINHSO_ASSIGN_OR_RETURN(auto input, ReadAgency(nw, *created));
    TINHSO_ASSIGN_OR_RETURN(auto parent, Field(nw, json::OptionalString(*created, "parent", 100)));
    if (parent) {
      TINHSO_ASSIGN_OR_RETURN(input.parent_id, Current(nw, *parent));
    }
    ref.create = std::move(input);
    return ref;
  }

  Service& service_;
  const core::Actor& actor_;
  DemoStats stats_;
};

void Add(DemoStats& into, const DemoStats& more) {
  into.agencies_created += more.agencies_created;
  into.agencies_skipped += more.agencies_skipped;
  into.reorganisations_applied += more.reorganisations_applied;
  into.reorganisations_skipped += more.reorganisations_skipped;
  into.work_moved += more.work_moved;
}

}  // namespace

Result<DemoStats> LoadDemoAgencies(Service& service, const std::filesystem::path& file,
                                   const core::Actor& actor) {
  TINHSO_ASSIGN_OR_RETURN(auto root, ReadObject(file));
  const std::string name = file.filename().string();
  TINHSO_ASSIGN_OR_RETURN(auto agencies, OptArray({name, "agencies"}, root, "agencies"));
  if (!agencies) return Invalid({name, "agencies"}, "thiếu mảng agencies.", "no agencies array.");
  Loader loader(service, actor);
  for (std::size_t i = 0; i < agencies->size(); ++i) {
    Where w{name, "agencies[" + std::to_string(i) + "]"};
    if (!(*agencies)[i].is_object()) return Invalid(w, "phải là đối tượng.", "must be an object.");
    TINHSO_RETURN_IF_ERROR(loader.Node(w, (*agencies)[i].as_object(), std::nullopt));
  }
  return loader.stats();
}

Result<DemoStats> LoadDemoReorganisations(Service& service, const std::filesystem::path& file,
                                          const core::Actor& actor) {
  TINHSO_ASSIGN_OR_RETURN(auto root, ReadObject(file));
  const std::string name = file.filename().string();
  TINHSO_ASSIGN_OR_RETURN(auto ops, OptArray({name, "operations"}, root, "operations"));
  if (!ops) return Invalid({name, "operations"}, "thiếu mảng operations.", "no operations array.");
  Loader loader(service, actor);
  // In file order: each operation sees the tree the previous ones left.
  for (std::size_t i = 0; i < ops->size(); ++i) {
    Where w{name, "operations[" + std::to_string(i) + "]"};
    if (!(*ops)[i].is_object()) return Invalid(w, "phải là đối tượng.", "must be an object.");
    TINHSO_RETURN_IF_ERROR(loader.Op(w, (*ops)[i].as_object()));
  }
  return loader.stats();
}

Result<DemoStats> LoadDemo(Service& service, const std::filesystem::path& data_dir,
                           const core::Actor& actor) {
  TINHSO_ASSIGN_OR_RETURN(auto stats, LoadDemoAgencies(service, data_dir / kAgenciesFile, actor));
  TINHSO_ASSIGN_OR_RETURN(auto more,
                          LoadDemoReorganisations(service, data_dir / kReorganisationsFile, actor));
  Add(stats, more);
  return stats;
}

}  // namespace tinhso::agencies
