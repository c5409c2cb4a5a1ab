// The national databases through the gateway: the transport and the registry entries they need.
#include "app/national.hpp"

#include <boost/json.hpp>

#include "app/app.hpp"
#include "core/crypto.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"
#include "nationaldb/requests.hpp"

namespace tinhso::app {
namespace {

struct Provider {
  std::string_view service;
  std::string_view member;
  std::string_view member_name;
  std::string_view name;
};

// Who runs each national database (the members that provide them).
constexpr Provider kProviders[] = {
    {nationaldb::kPopulationService, "BCA", "Bộ Công an", "Cơ sở dữ liệu quốc gia về dân cư"},
    {nationaldb::kCivilRegistrationService, "BTP", "Bộ Tư pháp",
     "Cơ sở dữ liệu hộ tịch điện tử toàn quốc"},
    {nationaldb::kJudicialRecordsService, "BTP", "Bộ Tư pháp", "Cơ sở dữ liệu lý lịch tư pháp"},
    {nationaldb::kCategoriesService, "VPCP", "Văn phòng Chính phủ", "Danh mục dùng chung quốc gia"},
};

}  // namespace

Result<nationaldb::Reply> GatewayTransport::Send(const nationaldb::Call& call) {
  gateway::Call c;
  c.caller.internal_subsystem = subsystem_();
  c.service = call.service;
  c.method = call.method;
  c.path = call.path;
  if (!call.body.empty()) c.headers = {{"content-type", "application/json"}};
  c.body = call.body;
  c.request_id = core::RandomToken(12);
  gateway::Reply reply = gateway_.Forward(c);
  if (reply.lgsp_code == gateway::LgspCode::kUpstreamTimeout) {
    return MakeError(ErrorCode::kTimeout, "nationaldb.timeout", reply.refusal->message_vi,
                     reply.refusal->message_en);
  }
  if (reply.lgsp_code == gateway::LgspCode::kUpstreamUnavailable ||
      reply.lgsp_code == gateway::LgspCode::kLogUnavailable) {
    return MakeError(ErrorCode::kUnavailable, "nationaldb.unavailable", reply.refusal->message_vi,
                     reply.refusal->message_en);
  }
  return nationaldb::Reply{.status = reply.status, .body = std::move(reply.body)};
}

namespace {

// Whether a gateway service is a national database's, whose answers are LGSP envelopes.
bool IsNational(std::string_view service) {
  for (const Provider& p : kProviders) {
    if (p.service == service) return true;
  }
  return false;
}

// A form answer as the registry's text: strings as they are, numbers and booleans written out.
std::string AnswerText(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "1" : "0";
  if (v.is_null()) return "";
  return boost::json::serialize(v);
}

// The date of an instant in Vietnam (UTC+7, no daylight saving), YYYY-MM-DD.
std::string VietnamDate(core::Seconds t) {
  const auto day = std::chrono::floor<std::chrono::days>(t + std::chrono::hours(7));
  return core::FormatDate(std::chrono::year_month_day(day));
}

}  // namespace

dossiers::IdentityChecker PopulationChecker(nationaldb::PopulationDatabase& population) {
  return [&population](const dossiers::IdentityQuery& q) {
    dossiers::IdentityResult out;
    std::string name = core::ToNfc(q.name);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    auto check = population.CheckCitizen(
        {.so_dinh_danh = q.id_number, .ho_va_ten = name, .ngay_sinh = q.birth_date},
        {.ma_can_bo = q.asked_by, .ma_yeu_cau = ""});
    if (!check.ok()) {
      // Not reached, refused by the gateway, or an answer not understood: "chưa đối chiếu
      // được", never a refusal of the submission.
      out.status = dossiers::IdentityStatus::kUnchecked;
      out.error = check.error().reason;
      return out;
    }
    switch (check->match) {
      case nationaldb::CitizenMatch::kMatches:
        out.status = dossiers::IdentityStatus::kMatches;
        break;
      case nationaldb::CitizenMatch::kNotFound:
        out.status = dossiers::IdentityStatus::kNotFound;
        break;
      case nationaldb::CitizenMatch::kDiffers:
        out.status = dossiers::IdentityStatus::kDiffers;
        for (const std::string& f : check->differing) {
          out.differing.push_back(f == "ho_va_ten" ? "name" : f == "ngay_sinh" ? "birth_date" : f);
        }
        break;
    }
    return out;
  };
}

Result<void> EventListeners::OnEvent(storage::Transaction& tx, const dossiers::Dossier& dossier,
                                     const dossiers::Event& event, std::string_view reason) {
  for (dossiers::EventListener* l : listeners_) {
    if (l != nullptr) TINHSO_RETURN_IF_ERROR(l->OnEvent(tx, dossier, event, reason));
  }
  return Ok();
}

Result<void> CivilRegistrationSender::OnEvent(storage::Transaction& tx, const dossiers::Dossier& d,
                                              const dossiers::Event& event, std::string_view) {
  if (event.action != "accept") return Ok();
  const auto kind = procedures_.find(d.procedure_code);
  if (kind == procedures_.end() || d.code.empty()) return Ok();
  // The registering authority is the competent agency (the commune for these procedures),
  // from the directory's memory: no second transaction.
  TINHSO_ASSIGN_OR_RETURN(agencies::Agency agency, agencies_.Get(d.competent_agency_id));
  nationaldb::CivilDossier c;
  c.ma_don_vi = agency.code;
  c.ma_ho_so = d.code;
  c.loai = kind->second == "KH"   ? nationaldb::CivilKind::kKetHon
           : kind->second == "KT" ? nationaldb::CivilKind::kKhaiTu
                                  : nationaldb::CivilKind::kKhaiSinh;
  c.ngay_tiep_nhan = VietnamDate(d.received_at.value_or(event.at));
  // The registration's data: the e-form's answers by their names (the registry's field names
  // are not published: assumed, as the adapter's), and who asks.
  boost::system::error_code ec;
  const boost::json::value form = boost::json::parse(d.form_json, ec);
  if (!ec && form.is_object()) {
    for (const auto& [name, value] : form.get_object()) {
      std::string text = AnswerText(value);
      if (!text.empty()) c.du_lieu[std::string(name)] = std::move(text);
    }
  }
  c.du_lieu["hoTenNguoiYeuCau"] = d.applicant.name;
  c.du_lieu["soDinhDanhNguoiYeuCau"] = d.applicant.id_number;
  TINHSO_ASSIGN_OR_RETURN(nationaldb::Call call, nationaldb::DangKyHoTichCall(c));
  const std::string id = std::to_string(d.id);
  TINHSO_RETURN_IF_ERROR(outbox_.Enqueue(tx, {.destination = call.service,
                                              .ordering_key = "dossier-" + id,
                                              .idempotency_key = "dangkyhotich-" + id,
                                              .method = "POST",
                                              .path = call.path,
                                              .headers = {{"content-type", "application/json"}},
                                              .body = call.body}));
  // First asked a minute after acceptance: the outbox delivers within seconds.
  return dossiers_.TrackExternal(tx,
                                 {.dossier_id = d.id,
                                  .system = call.service,
                                  .kind = kind->second,
                                  .unit_code = c.ma_don_vi,
                                  .case_code = c.ma_ho_so,
                                  .next_poll_at = event.at + std::chrono::minutes(1)},
                                 event.at);
}

CivilEventWords CivilEvent(int status, std::string_view note) {
  CivilEventWords w;
  switch (status) {
    case 1:
      w = {"civil_received",
           "Cơ quan đăng ký hộ tịch đã tiếp nhận hồ sơ trên Hệ thống đăng ký, quản lý hộ tịch "
           "điện tử."};
      break;
    case 2:
      w = {"civil_supplement", "Cơ quan đăng ký hộ tịch yêu cầu bổ sung hồ sơ."};
      break;
    case 3:
      w = {"civil_eligible", "Hồ sơ đủ điều kiện đăng ký hộ tịch."};
      break;
    default:
      w = {"civil_registered", "Đã đăng ký hộ tịch."};
      break;
  }
  if (!note.empty()) w.content += " Ghi chú: " + std::string(note);
  return w;
}

Result<CivilPollReport> PollCivilRegistrations(dossiers::Service& dossiers,
                                               nationaldb::CivilRegistration& registry,
                                               core::Seconds now, std::chrono::minutes interval,
                                               int batch) {
  CivilPollReport report;
  TINHSO_ASSIGN_OR_RETURN(auto due,
                          dossiers.ExternalDue(nationaldb::kCivilRegistrationService, now, batch));
  for (const dossiers::ExternalCase& c : due) {
    ++report.asked;
    // The call outside every transaction; the gateway logs it as the one-stop system's.
    auto heard = registry.TraTrangThaiHoSo(c.unit_code, c.case_code);
    if (!heard.ok()) {
      ++report.failed;
      TINHSO_RETURN_IF_ERROR(dossiers.DeferExternal(c.dossier_id, c.system, heard.error().reason,
                                                    now, now + interval));
      continue;
    }
    const int status = static_cast<int>(heard->trang_thai);
    const CivilEventWords words = CivilEvent(status, heard->ghi_chu);
    TINHSO_ASSIGN_OR_RETURN(bool changed,
                            dossiers.RecordExternalStatus({.dossier_id = c.dossier_id,
                                                           .system = c.system,
                                                           .status = status,
                                                           .note = heard->ghi_chu,
                                                           .final = status == 4,
                                                           .action = words.action,
                                                           .content = words.content,
                                                           .next_poll_at = now + interval},
                                                          now));
    if (changed) ++report.changed;
  }
  return report;
}

Result<outbox::Response> GatewaySender::Send(const outbox::Message& message) {
  auto method = http::ParseMethod(message.method);
  if (!method) {
    return MakeError(ErrorCode::kInvalidArgument, "outbox.bad_method",
                     "Phương thức HTTP không hợp lệ: " + message.method,
                     "Not an HTTP method: " + message.method);
  }
  gateway::Call c;
  c.caller.internal_subsystem = subsystem_();
  c.service = message.destination;
  c.method = *method;
  const auto q = message.path.find('?');
  c.path = message.path.substr(0, q);
  if (q != std::string::npos) c.query = message.path.substr(q + 1);
  c.headers = message.headers;
  c.headers.emplace_back("idempotency-key", message.idempotency_key);
  c.body = message.body;
  c.request_id = "outbox-" + std::to_string(message.id);
  gateway::Reply reply = gateway_.Forward(c);
  outbox::Response r;
  r.status = reply.status;
  r.detail = reply.refusal ? reply.refusal->reason + ": " + reply.refusal->message_en
                           : reply.body.substr(0, 300);
  if (!reply.refusal && reply.status >= 200 && reply.status < 300 &&
      IsNational(message.destination)) {
    // A national database answers its errors in the LGSP envelope with HTTP 200: read it, so
    // that a refused registration is not taken for a delivered one. Its own trouble (an
    // unknown code, a bad answer) is retried; a refusal of the message itself is final.
    auto answer =
        nationaldb::ReadAnswer(message.destination, {.status = reply.status, .body = reply.body});
    if (!answer.ok()) {
      r.status = answer.error().code == ErrorCode::kUnavailable ? 502 : 422;
      r.detail =
          answer.error().reason + ": " + answer.error().message_en + " " + answer.error().detail;
    }
  }
  return r;
}

std::string OneStopSubsystem(App& app, const Config& config) {
  if (!config.gateway_one_stop_subsystem.empty()) return config.gateway_one_stop_subsystem;
  agencies::ListQuery roots;
  roots.level = 1;
  roots.limit = 2;
  auto page = app.agencies().List(roots);
  if (!page.ok() || page->items.size() != 1) return {};
  return page->items[0].code + "/motcua";
}

Result<void> EnsureNationalServices(App& app, const Config& config) {
  if (config.nationaldb.base_urls.empty()) return Ok();
  const std::string one_stop = OneStopSubsystem(app, config);
  const auto slash = one_stop.find('/');
  if (slash == std::string::npos) return Ok();  // no province yet: nothing can call
  gateway::Service& g = app.gateway();
  const core::Actor system = core::SystemActor();
  TINHSO_ASSIGN_OR_RETURN(auto members, g.Members(system));
  TINHSO_ASSIGN_OR_RETURN(auto subsystems, g.Subsystems(system));
  auto ensure_member = [&](const std::string& code, const std::string& name) -> Result<void> {
    for (const gateway::Member& m : members) {
      if (m.code == code) return Ok();
    }
    TINHSO_ASSIGN_OR_RETURN(gateway::Member m, g.AddMember({.code = code, .name = name}, system));
    members.push_back(std::move(m));
    return Ok();
  };
  auto ensure_subsystem = [&](const std::string& member, const std::string& name) -> Result<void> {
    for (const gateway::Subsystem& s : subsystems) {
      if (s.code == member + "/" + name) return Ok();
    }
    TINHSO_ASSIGN_OR_RETURN(gateway::Subsystem s,
                            g.AddSubsystem({.member_code = member, .name = name}, system));
    subsystems.push_back(std::move(s));
    return Ok();
  };
  const std::string province = one_stop.substr(0, slash);
  TINHSO_RETURN_IF_ERROR(ensure_member(province, "Ủy ban nhân dân tỉnh (" + province + ")"));
  TINHSO_RETURN_IF_ERROR(ensure_subsystem(province, one_stop.substr(slash + 1)));
  // Withdrawn rights count: an administrator's withdrawal is never undone by a restart.
  TINHSO_ASSIGN_OR_RETURN(auto rights, g.Rights(true, system));
  TINHSO_ASSIGN_OR_RETURN(auto services, g.Services(system));
  for (const Provider& p : kProviders) {
    auto url = config.nationaldb.base_urls.find(p.service);
    if (url == config.nationaldb.base_urls.end()) continue;
    TINHSO_RETURN_IF_ERROR(ensure_member(std::string(p.member), std::string(p.member_name)));
    TINHSO_RETURN_IF_ERROR(ensure_subsystem(std::string(p.member), std::string(p.service)));
    bool current = false;  // registered with this address already: no change, no audit entry
    for (const gateway::ServiceInfo& s : services) {
      current = current || (s.code == p.service && s.upstream_url == url->second);
    }
    if (!current) {
      TINHSO_RETURN_IF_ERROR(
          g.PutService({.code = std::string(p.service),
                        .provider_code = std::string(p.member) + "/" + std::string(p.service),
                        .name = std::string(p.name),
                        .upstream_url = url->second,
                        .timeout_ms = static_cast<int>(config.nationaldb.timeout.count())},
                       system));
    }
    bool granted = false;
    for (const gateway::Right& r : rights) {
      granted = granted || (r.client_code == one_stop && r.service_code == p.service);
    }
    if (!granted) {
      TINHSO_RETURN_IF_ERROR(
          g.Grant({.client_code = one_stop, .service_code = std::string(p.service)}, system));
    }
  }
  return Ok();
}

}  // namespace tinhso::app
