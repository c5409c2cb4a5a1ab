// The PDF forms of a dossier (TT 01/2018 Mẫu 01–05): fills forms:: structs from the dossier,
// its procedure, its agencies and its timeline.
#include "forms/forms.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

#include "dossiers/internal.hpp"

namespace tinhso::dossiers {
namespace {

struct Local {
  int year, month, day, hour, minute;
};

Local ToLocal(core::Seconds t) {
  const auto local = t + core::kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(hms.hours().count()),
          static_cast<int>(hms.minutes().count())};
}

// "08 giờ 30 phút, ngày 23 tháng 11 năm 2026"
std::string LongTime(const std::optional<core::Seconds>& t) {
  if (!t) return "";
  const Local l = ToLocal(*t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%02d giờ %02d phút, ngày %02d tháng %02d năm %04d", l.hour,
                l.minute, l.day, l.month, l.year);
  return buf;
}

// "08:45 23/11/2026"
std::string ShortTime(const std::optional<core::Seconds>& t) {
  if (!t) return "";
  const Local l = ToLocal(*t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02d:%02d %02d/%02d/%04d", l.hour, l.minute, l.day, l.month,
                l.year);
  return buf;
}

forms::Date Today(core::Seconds now) {
  const Local l = ToLocal(now);
  return {l.year, l.month, l.day};
}

std::string StatutoryText(const catalog::ProcessingTime& t) {
  if (t.value <= 0) return "Trả kết quả ngay trong ngày";
  char number[32];
  if (t.value == static_cast<double>(static_cast<long long>(t.value))) {
    std::snprintf(number, sizeof number, "%02lld", static_cast<long long>(t.value));
  } else {
    std::snprintf(number, sizeof number, "%.1f", t.value);
  }
  switch (t.unit) {
    case catalog::TimeUnit::kWorkingDays:
      return std::string(number) + " ngày làm việc";
    case catalog::TimeUnit::kDays:
      return std::string(number) + " ngày";
    case catalog::TimeUnit::kHours:
      return std::string(number) + " giờ làm việc";
  }
  return number;
}

std::string ChannelText(Channel c) {
  switch (c) {
    case Channel::kCounter:
      return "Trực tiếp tại Bộ phận Một cửa";
    case Channel::kOnline:
      return "Trực tuyến qua Cổng dịch vụ công";
    case Channel::kPostal:
      return "Qua dịch vụ bưu chính công ích";
  }
  return "";
}

}  // namespace

Result<std::string> Service::Form(std::int64_t id, std::string_view form,
                                  const core::Actor& actor) const {
  TINHSO_ASSIGN_OR_RETURN(Dossier d, Get(id, actor));
  TINHSO_ASSIGN_OR_RETURN(auto events, Timeline(id, actor));
  TINHSO_ASSIGN_OR_RETURN(catalog::Procedure proc, impl_->catalog.Get(d.procedure_code));
  TINHSO_ASSIGN_OR_RETURN(agencies::Agency receiving, impl_->agencies.Get(d.receiving_agency_id));

  forms::Letterhead head;
  head.agency = receiving.name;
  if (auto parents = impl_->agencies.Ancestors(receiving.id); parents.ok() && !parents->empty()) {
    head.parent_agency = parents->back().name;
    // "UBND tỉnh Thái Nguyên" → place "Thái Nguyên": the root's name after "tỉnh ".
    const std::string& root = parents->front().name;
    const auto pos = root.find("tỉnh ");
    head.place = pos == std::string::npos ? root : root.substr(pos + std::string("tỉnh ").size());
  }
  forms::Applicant applicant{d.applicant.name, d.applicant.address, d.applicant.phone,
                             d.applicant.email, d.applicant.id_number};
  const core::Seconds now = impl_->clock.Now();

  // The latest event of an action, for the officer's name and the items it listed.
  auto last_event = [&](std::initializer_list<std::string_view> actions) -> const Event* {
    const Event* found = nullptr;
    for (const Event& e : events) {
      for (auto a : actions) {
        if (e.action == a) found = &e;
      }
    }
    return found;
  };
  auto not_available = [&](std::string_view what_vi, std::string_view what_en) {
    return MakeError(ErrorCode::kFailedPrecondition, "dossier.form_not_applicable",
                     "Hồ sơ chưa có " + std::string(what_vi) + ".",
                     "The dossier has no " + std::string(what_en) + " yet.");
  };

  if (form == "receipt") {
    if (d.code.empty()) return not_available("giấy tiếp nhận", "receipt");
    const Event* accept = last_event({"accept"});
    forms::Receipt r;
    r.letterhead = head;
    r.dossier_code = d.code;
    r.issued_on = Today(d.received_at.value_or(now));
    r.applicant = applicant;
    r.channel_text = ChannelText(d.channel);
    r.procedure_name = proc.name;
    // What the counter ticked at acceptance, when it kept a checklist; else what the
    // procedure asks for.
    if (accept != nullptr && !accept->received.empty()) {
      for (const ReceivedComponent& got : accept->received) {
        const auto c = std::ranges::find(proc.components, got.component, &catalog::Component::code);
        if (c == proc.components.end()) continue;
        r.components.push_back({c->name, got.form == "original" ? 1 : 0,
                                got.form == "certified" ? 1 : 0, got.form == "copy" ? 1 : 0});
      }
    } else {
      for (const auto& c : proc.components) {
        r.components.push_back({c.name, c.originals, c.certified, c.copies});
      }
    }
    r.statutory_time_text = StatutoryText(proc.processing_time);
    r.received_at = LongTime(d.received_at);
    r.appointment_at = LongTime(d.due_at);
    r.return_place = receiving.name + (receiving.address.empty() ? "" : ", " + receiving.address);
    r.lookup_url = options_.lookup_base_url + "?ma=" + d.code + "&k=" + d.lookup_secret;
    r.lookup_secret = d.lookup_secret;
    r.officer_name = accept ? accept->actor_name : "";
    return forms::RenderReceipt(r);
  }
  if (form == "completion") {
    const Event* ask = last_event({"request_completion", "request_supplement"});
    if (ask == nullptr) return not_available("yêu cầu bổ sung", "supplement request");
    forms::CompletionRequest r;
    r.letterhead = head;
    r.dossier_code = d.code.empty() ? "Chưa cấp mã (#" + std::to_string(d.id) + ")" : d.code;
    r.issued_on = Today(ask->at);
    r.applicant = applicant;
    r.procedure_name = proc.name;
    r.received_at = LongTime(d.received_at ? d.received_at : d.submitted_at);
    r.items = ask->items;
    r.contact_text =
        receiving.name + (receiving.phone.empty() ? "" : ", điện thoại " + receiving.phone);
    r.officer_name = ask->actor_name;
    return forms::RenderCompletionRequest(r);
  }
  if (form == "rejection") {
    const Event* rejected = last_event({"reject"});
    if (rejected == nullptr) return not_available("quyết định từ chối", "rejection");
    forms::Rejection r;
    r.letterhead = head;
    r.dossier_code = d.code.empty() ? "Chưa cấp mã (#" + std::to_string(d.id) + ")" : d.code;
    r.issued_on = Today(rejected->at);
    r.applicant = applicant;
    r.procedure_name = proc.name;
    r.received_at = LongTime(d.submitted_at);
    r.reasons = rejected->items;
    r.officer_name = rejected->actor_name;
    return forms::RenderRejection(r);
  }
  if (form == "apology") {
    const Event* apology = last_event({"apologise"});
    if (apology == nullptr) return not_available("phiếu xin lỗi", "apology letter");
    forms::Apology r;
    r.letterhead = head;
    r.dossier_code = d.code;
    r.issued_on = Today(apology->at);
    r.applicant = applicant;
    r.procedure_name = proc.name;
    r.received_at = LongTime(d.received_at);
    r.original_appointment_at = LongTime(d.original_due_at);
    r.new_appointment_at = LongTime(d.due_at);
    const std::string marker = "Lý do: ";
    const auto pos = apology->content.find(marker);
    r.reason = pos == std::string::npos ? "" : apology->content.substr(pos + marker.size());
    r.signer_name = apology->actor_name;
    return forms::RenderApology(r);
  }
  if (form == "control") {
    if (d.code.empty()) return not_available("mã hồ sơ", "dossier code");
    forms::ControlSheet r;
    r.letterhead = head;
    r.dossier_code = d.code;
    r.issued_on = Today(d.received_at.value_or(now));
    r.applicant_name = d.applicant.name;
    r.procedure_name = proc.name;
    r.received_at = LongTime(d.received_at);
    r.appointment_at = LongTime(d.due_at);
    // One row per step the dossier entered: who handed it over, when, the step's deadline, and
    // when the next hand-over ended it.
    std::vector<forms::ControlStep> rows;
    std::vector<std::optional<core::Seconds>> dues;
    for (const Event& e : events) {
      if (e.action != "accept" && e.action != "forward" && e.action != "transfer" &&
          e.action != "issue_result" && e.action != "return") {
        continue;
      }
      if (!rows.empty() && rows.back().finished_at.empty()) {
        rows.back().finished_at = ShortTime(e.at);
        const auto& due = dues.back();
        rows.back().outcome = !due ? "" : (e.at <= *due ? "Đúng hạn" : "Quá hạn");
      }
      if (e.action == "return") continue;
      std::string step_name = e.step_code;
      for (const auto& s : proc.steps) {
        if (s.code == e.step_code) step_name = s.name;
      }
      forms::ControlStep row;
      row.step = step_name + (e.agency_name.empty() ? "" : " – " + e.agency_name);
      row.from_person = e.actor_name;
      row.handed_at = ShortTime(e.at);
      row.due_at = ShortTime(e.step_due_at);
      rows.push_back(std::move(row));
      dues.push_back(e.step_due_at);
    }
    r.steps = std::move(rows);
    return forms::RenderControlSheet(r);
  }
  return MakeError(
      ErrorCode::kNotFound, "dossier.form_unknown",
      "Biểu mẫu '" + std::string(form) +
          "' không tồn tại: chọn receipt, completion, rejection, apology hoặc control.",
      "Unknown form '" + std::string(form) +
          "': use receipt, completion, rejection, apology or control.");
}

Result<std::string> Service::TrackingBook(std::int64_t agency_id, core::Seconds from,
                                          core::Seconds to, const core::Actor& actor) const {
  if (to <= from || to - from > std::chrono::days(366)) {
    return MakeError(ErrorCode::kInvalidArgument, "request.invalid_query",
                     "Khoảng thời gian không hợp lệ: 'to' phải sau 'from', tối đa một năm.",
                     "Invalid period: 'to' must be after 'from', a year at most.");
  }
  TINHSO_RETURN_IF_ERROR(impl_->policy.Check(actor, "dossier.read", {agency_id, 0}));
  TINHSO_ASSIGN_OR_RETURN(agencies::Agency agency, impl_->agencies.Get(agency_id));
  forms::TrackingBook book;
  book.letterhead.agency = agency.name;
  if (auto parents = impl_->agencies.Ancestors(agency.id); parents.ok() && !parents->empty()) {
    book.letterhead.parent_agency = parents->back().name;
  }
  const Local a = ToLocal(from);
  const Local b = ToLocal(to - std::chrono::seconds(1));
  char period[96];
  std::snprintf(period, sizeof period, "Từ ngày %02d/%02d/%04d đến ngày %02d/%02d/%04d", a.day,
                a.month, a.year, b.day, b.month, b.year);
  book.period_text = period;
  ListQuery q;
  q.received_from = from;
  q.received_to = to;
  q.sort = "received_at";
  q.limit = 500;
  for (q.offset = 0; q.offset < 5000; q.offset += q.limit) {
    TINHSO_ASSIGN_OR_RETURN(Page page, List(q, actor));
    for (const Dossier& d : page.items) {
      if (d.receiving_agency_id != agency_id) continue;
      book.rows.push_back({d.code, d.procedure_name, d.applicant.name,
                           d.applicant.phone.empty() ? d.applicant.address : d.applicant.phone,
                           ShortTime(d.received_at), ShortTime(d.due_at), ShortTime(d.returned_at),
                           std::string(StatusNameVi(d.status))});
    }
    if (static_cast<int>(page.items.size()) < q.limit) break;
  }
  return forms::RenderTrackingBook(book);
}

}  // namespace tinhso::dossiers
