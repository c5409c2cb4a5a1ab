// The portal's public pages as HTML. The markup mirrors the web UI's (web/src/components/
// Layout.tsx, pages/portal/Home.tsx, Procedure.tsx, Lookup.tsx) and uses its class names, so the
// page does not jump when the script replaces it; the words are those of web/src/i18n/vi.ts and
// en.ts. Everything that comes from the catalog, the dossier or the address is escaped
// (core::EscapeHtml).
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/parse.hpp"
#include "core/text.hpp"
#include "http/url.hpp"
#include "portal/portal.hpp"

namespace tinhso::portal {
namespace {

using catalog::Procedure;
using core::EscapeHtml;

// A search longer than this is not one a person typed: the page is rendered without it.
constexpr std::size_t kMaxQuery = 200;
// The lookup's own bounds (dossiers::Service::Lookup refuses longer ones as not found).
constexpr std::size_t kMaxLookupArgument = 64;

// The words of the pages in one language (as web/src/i18n/vi.ts and en.ts say them).
struct Words {
  std::string_view lang;        // "vi"
  std::string_view other_lang;  // the language the switch goes to
  std::string_view other_name;  // "English"
  std::string_view other_aria;  // "Switch to English"
  std::string_view skip;
  std::string_view subtitle;
  std::string_view login;
  std::string_view nav_main;
  std::string_view nav_portal;
  std::string_view nav_lookup;
  std::string_view nav_verify;
  std::string_view footer_about;
  std::string_view footer_help;
  std::string_view breadcrumb;
  std::string_view portal_title;
  std::string_view portal_lead;
  std::string_view search_label;
  std::string_view search_placeholder;
  std::string_view search_hint;
  std::string_view search_button;
  std::string_view search_title;  // the <title> of a search: "Tìm thủ tục: …"
  std::string_view results;
  std::string_view all_procedures;
  std::string_view count_before;  // "Tìm thấy " {n}
  std::string_view count_after;   // " thủ tục"
  std::string_view other_agency;
  std::string_view proc_code;
  std::string_view field;
  std::string_view level;
  std::string_view agency;
  std::string_view time;
  std::string_view fee;
  std::string_view free;
  std::string_view immediate;
  std::string_view working_days;
  std::string_view days;
  std::string_view hours;
  std::string_view province;
  std::string_view commune;
  std::string_view online_full;
  std::string_view online_partial;
  std::string_view submit_online;
  std::string_view general;
  std::string_view components;
  std::string_view originals;  // "bản chính", after the number
  std::string_view certified;
  std::string_view copies;
  std::string_view required;
  std::string_view optional;
  std::string_view results_section;
  std::string_view lookup_title;
  std::string_view lookup_intro;
  std::string_view lookup_intro_short;
  std::string_view lookup_code;
  std::string_view lookup_secret;
  std::string_view lookup_submit;
  std::string_view lookup_result;
  std::string_view procedure;
  std::string_view applicant;
  std::string_view status;
  std::string_view received;
  std::string_view due;
  std::string_view finished;
  std::string_view returned;
  std::string_view timeliness;
  std::string_view timeline;
  std::string_view money_unit;  // "đồng"
  char thousands;               // '.' in Vietnamese, ',' in English
  char decimal;
};

constexpr Words kVi{
    .lang = "vi",
    .other_lang = "en",
    .other_name = "English",
    .other_aria = "Switch to English",
    .skip = "Bỏ qua, đến nội dung chính",
    .subtitle = "Cổng dịch vụ công trực tuyến",
    .login = "Đăng nhập",
    .nav_main = "Điều hướng chính",
    .nav_portal = "Dịch vụ công",
    .nav_lookup = "Tra cứu hồ sơ",
    .nav_verify = "Kiểm tra chữ ký số",
    .footer_about =
        "Tỉnh số — nền tảng chính quyền số mã nguồn mở của tỉnh. Dữ liệu cá nhân "
        "được bảo vệ theo Nghị định 13/2023/NĐ-CP.",
    .footer_help =
        "Hỗ trợ: Trung tâm Phục vụ hành chính công tỉnh, giờ hành chính các ngày "
        "làm việc",
    .breadcrumb = "Đường dẫn",
    .portal_title = "Cổng dịch vụ công",
    .portal_lead = "Tìm thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi kết quả giải quyết.",
    .search_label = "Tìm thủ tục hành chính",
    .search_placeholder = "Ví dụ: khai sinh, ket hon, 1.001193, lý lịch tư pháp",
    .search_hint = "Gõ tên, mã thủ tục hoặc lĩnh vực; có thể gõ không dấu.",
    .search_button = "Tìm kiếm",
    .search_title = "Tìm thủ tục: ",
    .results = "Kết quả tìm kiếm",
    .all_procedures = "Tất cả thủ tục",
    .count_before = "Tìm thấy ",
    .count_after = " thủ tục",
    .other_agency = "Cơ quan khác",
    .proc_code = "Mã thủ tục",
    .field = "Lĩnh vực",
    .level = "Cấp thực hiện",
    .agency = "Cơ quan thực hiện",
    .time = "Thời hạn giải quyết",
    .fee = "Phí, lệ phí",
    .free = "Không thu phí",
    .immediate = "Trả ngay trong ngày",
    .working_days = "ngày làm việc",
    .days = "ngày",
    .hours = "giờ",
    .province = "Cấp tỉnh",
    .commune = "Cấp xã",
    .online_full = "Trực tuyến toàn trình",
    .online_partial = "Trực tuyến một phần",
    .submit_online = "Nộp hồ sơ trực tuyến",
    .general = "Thông tin chung",
    .components = "Thành phần hồ sơ",
    .originals = "bản chính",
    .certified = "bản sao chứng thực",
    .copies = "bản chụp",
    .required = "Bắt buộc",
    .optional = "Không bắt buộc",
    .results_section = "Kết quả thực hiện",
    .lookup_title = "Tra cứu hồ sơ",
    .lookup_intro =
        "Nhập mã hồ sơ và mã tra cứu in trên Giấy tiếp nhận hồ sơ và hẹn trả kết "
        "quả, hoặc quét mã QR trên giấy.",
    .lookup_intro_short = "Theo dõi tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu.",
    .lookup_code = "Mã hồ sơ",
    .lookup_secret = "Mã tra cứu",
    .lookup_submit = "Tra cứu",
    .lookup_result = "Hồ sơ",
    .procedure = "Thủ tục",
    .applicant = "Người nộp",
    .status = "Trạng thái",
    .received = "Ngày tiếp nhận",
    .due = "Ngày hẹn trả",
    .finished = "Ngày giải quyết xong",
    .returned = "Ngày trả kết quả",
    .timeliness = "Tiến độ",
    .timeline = "Quá trình xử lý",
    .money_unit = " đồng",
    .thousands = '.',
    .decimal = ',',
};

constexpr Words kEn{
    .lang = "en",
    .other_lang = "vi",
    .other_name = "Tiếng Việt",
    .other_aria = "Chuyển sang tiếng Việt",
    .skip = "Skip to main content",
    .subtitle = "Online public services portal",
    .login = "Sign in",
    .nav_main = "Main navigation",
    .nav_portal = "Public services",
    .nav_lookup = "Track a dossier",
    .nav_verify = "Verify a signature",
    .footer_about =
        "Tỉnh số — the province’s open-source digital government platform. Personal "
        "data is protected under Decree 13/2023/ND-CP.",
    .footer_help =
        "Help: Provincial Public Administration Service Centre, office hours on "
        "working days",
    .breadcrumb = "Breadcrumb",
    .portal_title = "Public services portal",
    .portal_lead = "Find administrative procedures, apply online and follow your application.",
    .search_label = "Search administrative procedures",
    .search_placeholder = "For example: birth, ket hon, 1.001193, criminal record",
    .search_hint = "Type a name, procedure code or field; Vietnamese accents are optional.",
    .search_button = "Search",
    .search_title = "Search procedures: ",
    .results = "Search results",
    .all_procedures = "All procedures",
    .count_before = "",
    .count_after = " procedures found",
    .other_agency = "Other agencies",
    .proc_code = "Procedure code",
    .field = "Field",
    .level = "Level",
    .agency = "Competent agency",
    .time = "Processing time",
    .fee = "Fees",
    .free = "Free of charge",
    .immediate = "Same day",
    .working_days = "working days",
    .days = "days",
    .hours = "hours",
    .province = "Province",
    .commune = "Commune",
    .online_full = "Fully online",
    .online_partial = "Partly online",
    .submit_online = "Apply online",
    .general = "General information",
    .components = "Required papers",
    .originals = "original(s)",
    .certified = "certified copy(ies)",
    .copies = "copy(ies)",
    .required = "Required",
    .optional = "Optional",
    .results_section = "Result",
    .lookup_title = "Track a dossier",
    .lookup_intro =
        "Enter the dossier code and lookup code printed on the receipt, or scan the "
        "QR code on it.",
    .lookup_intro_short = "Follow a dossier with its code and lookup code.",
    .lookup_code = "Dossier code",
    .lookup_secret = "Lookup code",
    .lookup_submit = "Look up",
    .lookup_result = "Dossier",
    .procedure = "Procedure",
    .applicant = "Applicant",
    .status = "Status",
    .received = "Received",
    .due = "Return date",
    .finished = "Resolved",
    .returned = "Result returned",
    .timeliness = "Timeliness",
    .timeline = "Processing history",
    .money_unit = " VND",
    .thousands = ',',
    .decimal = '.',
};

std::string Digits(std::int64_t amount, char thousands) {
  std::string digits = std::to_string(amount < 0 ? -amount : amount);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += thousands;
    out += digits[i];
  }
  return (amount < 0 ? "-" : "") + out;
}

// 1250000 → "1.250.000 đồng" (vi-VN) or "1,250,000 VND".
std::string Money(std::int64_t amount, const Words& w) {
  return Digits(amount, w.thousands) + std::string(w.money_unit);
}

std::string Number(double value, const Words& w) {
  if (value == std::floor(value)) return std::to_string(static_cast<long long>(value));
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  std::string out = text;
  std::replace(out.begin(), out.end(), '.', w.decimal);  // vi-VN: 1,5 ngày
  return out;
}

std::string Time(const catalog::ProcessingTime& t, const Words& w) {
  if (t.value == 0) return std::string(w.immediate);
  switch (t.unit) {
    case catalog::TimeUnit::kWorkingDays:
      return Number(t.value, w) + " " + std::string(w.working_days);
    case catalog::TimeUnit::kDays:
      return Number(t.value, w) + " " + std::string(w.days);
    case catalog::TimeUnit::kHours:
      return Number(t.value, w) + " " + std::string(w.hours);
  }
  return Number(t.value, w);
}

std::string_view Level(std::string_view level, const Words& w) {
  return level == "commune" ? w.commune : level == "province" ? w.province : level;
}

std::string_view OnlineLevel(std::string_view level, const Words& w) {
  return level == "full" ? w.online_full : w.online_partial;
}

std::string_view ProcedureName(const Procedure& p, const Words& w) {
  return w.lang == "en" && !p.name_en.empty() ? p.name_en : p.name;
}

std::string_view Pick(const catalog::AgencyName& name, const Words& w) {
  return w.lang == "en" && !name.en.empty() ? name.en : name.vi;
}

// A query parameter as UTF-8 text, or "" (invalid bytes, or longer than `limit`).
std::string Param(const http::Request& request, std::string_view name,
                  std::size_t limit = kMaxQuery) {
  const auto it = request.query.find(std::string(name));
  if (it == request.query.end() || it->second.size() > limit || !core::IsValidUtf8(it->second)) {
    return {};
  }
  return it->second;
}

// The reader's language: ?lang= (a link from a page in that language), else the cookie the web
// UI sets when the language is switched, else Vietnamese.
const Words& LanguageOf(const http::Request& request) {
  std::string lang = Param(request, "lang", 8);
  if (lang.empty()) lang = request.Cookie(std::string(kLanguageCookie)).value_or("");
  return lang == "en" ? kEn : kVi;
}

// An address on the portal in the reader's language: English pages carry lang=en in their
// links, so that a browser without JavaScript (and without the cookie) stays in English.
std::string Link(std::string_view path, const Words& w) {
  if (w.lang == "vi") return std::string(path);
  return std::string(path) + (path.find('?') == std::string_view::npos ? "?" : "&amp;") + "lang=en";
}

std::string ProcedureUrl(std::string_view code, const Words& w) {
  // Codes are digits and dots (validated by the catalog); escaped all the same.
  return Link("/thu-tuc?ma=" + EscapeHtml(code), w);
}

void Row(std::string& out, std::string_view term, std::string_view value_html) {
  out += "<div><dt>";
  out += term;
  out += "</dt><dd>";
  out += value_html;
  out += "</dd></div>";
}

// The site's header, navigation, then `main`, then the footer (Layout.tsx). `self` is the page's
// own address (escaped), for the language switch.
std::string Frame(std::string_view main_html, const Words& w, std::string_view self) {
  std::string out;
  out.reserve(main_html.size() + 2048);
  out += "<a class=\"skip-link\" href=\"#main\">";
  out += w.skip;
  out += "</a><header class=\"site-header\"><div class=\"header-inner\"><a href=\"";
  out += Link("/", w);
  out +=
      "\" class=\"brand\"><svg aria-hidden=\"true\" viewBox=\"0 0 32 32\" width=\"36\" "
      "height=\"36\"><rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#9b1c1c\"/><path d=\"M16 "
      "6l2.6 6.9 7.4.3-5.8 4.6 2 7.1L16 20.8l-6.2 4.1 2-7.1L6 13.2l7.4-.3z\" fill=\"#fcd34d\"/>"
      "</svg><span class=\"brand-text\"><span class=\"brand-name\">Tỉnh số</span>"
      "<span class=\"brand-sub\">";
  out += w.subtitle;
  out += "</span></span></a><div class=\"header-tools\"><a class=\"lang-switch\" lang=\"";
  out += w.other_lang;
  out += "\" hreflang=\"";
  out += w.other_lang;
  out += "\" href=\"";
  out += self;
  out += self.find('?') == std::string_view::npos ? "?" : "&amp;";
  out += "lang=";
  out += w.other_lang;
  out += "\" aria-label=\"";
  out += w.other_aria;
  out += "\">";
  out += w.other_name;
  out += "</a><a class=\"btn btn-small btn-light\" href=\"/dang-nhap\">";
  out += w.login;
  out += "</a></div></div><nav id=\"main-nav\" class=\"main-nav server-nav\" aria-label=\"";
  out += w.nav_main;
  out += "\"><ul><li><a href=\"" + Link("/", w) + "\">";
  out += w.nav_portal;
  out += "</a></li><li><a href=\"" + Link("/tra-cuu", w) + "\">";
  out += w.nav_lookup;
  out += "</a></li><li><a href=\"/kiem-tra-chu-ky\">";
  out += w.nav_verify;
  out += "</a></li></ul></nav></header><main id=\"main\" tabindex=\"-1\">";
  out += main_html;
  out += "</main><footer class=\"site-footer\"><div class=\"footer-inner\"><p>";
  out += w.footer_about;
  out += "</p><p>";
  out += w.footer_help;
  out += " · <a href=\"" + Link("/tra-cuu", w) + "\">";
  out += w.nav_lookup;
  out += "</a></p></div></footer>";
  return out;
}

// The lookup form: a plain GET to /tra-cuu?ma=&k=, which this server answers with the result
// (and the web UI too). `form_class` and `grid` as the page it stands on draws it (Home.tsx's
// side card, Lookup.tsx's form); `code` and `secret` fill it again after a lookup.
std::string LookupForm(std::string_view id_prefix, std::string_view form_class, bool grid,
                       const Words& w, std::string_view code = {}, std::string_view secret = {}) {
  const std::string code_id = std::string(id_prefix) + "-code";
  const std::string secret_id = std::string(id_prefix) + "-secret";
  std::string out = "<form action=\"/tra-cuu\" method=\"get\" class=\"" + std::string(form_class) +
                    "\">" + (grid ? "<div class=\"grid2\">" : "") +
                    "<div class=\"field\"><label for=\"" + code_id + "\">" +
                    std::string(w.lookup_code) + "</label><input id=\"" + code_id +
                    "\" name=\"ma\" required autocomplete=\"off\" value=\"" + EscapeHtml(code) +
                    "\"></div><div class=\"field\"><label for=\"" + secret_id + "\">" +
                    std::string(w.lookup_secret) + "</label><input id=\"" + secret_id +
                    "\" name=\"k\" required autocomplete=\"off\" value=\"" + EscapeHtml(secret) +
                    "\"></div>" + (grid ? "</div>" : "");
  if (w.lang == "en") out += "<input type=\"hidden\" name=\"lang\" value=\"en\">";
  out += "<button class=\"btn btn-primary\" type=\"submit\">" + std::string(w.lookup_submit) +
         "</button></form>";
  return out;
}

std::string Card(const Procedure& p, const catalog::AgencyName& agency, const Words& w) {
  std::string out = "<li class=\"proc-card\"><h3><a href=\"" + ProcedureUrl(p.code, w) + "\">" +
                    EscapeHtml(ProcedureName(p, w)) + "</a></h3>";
  if (w.lang == "en" && !p.name_en.empty()) {
    out += "<p class=\"proc-alt\" lang=\"vi\">" + EscapeHtml(p.name) + "</p>";
  }
  out += "<dl class=\"proc-meta\">";
  Row(out, w.proc_code, EscapeHtml(p.code));
  Row(out, w.field, EscapeHtml(p.field_name));
  Row(out, w.level, EscapeHtml(Level(p.level, w)));
  if (!Pick(agency, w).empty()) Row(out, w.agency, EscapeHtml(Pick(agency, w)));
  Row(out, w.time, EscapeHtml(Time(p.processing_time, w)));
  const std::int64_t fee = p.TotalFee();
  Row(out, w.fee, fee > 0 ? EscapeHtml(Money(fee, w)) : std::string(w.free));
  out += "</dl><span class=\"badge online-" + EscapeHtml(p.online_level) + "\">" +
         EscapeHtml(OnlineLevel(p.online_level, w)) + "</span></li>";
  return out;
}

const catalog::Sector* FindSector(const catalog::Service::View& view, std::string_view code) {
  for (const catalog::Sector& s : view.sectors) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

std::string Count(std::size_t n, const Words& w) {
  return std::string(w.count_before) + std::to_string(n) + std::string(w.count_after);
}

// The home: the search form, then every active procedure grouped by who decides (or the
// results of a search), and the lookup form beside.
std::string Home(const catalog::Service& catalog, const catalog::Service::View& view,
                 std::string_view q, std::string_view field, std::string_view level, const Words& w,
                 std::string_view self) {
  std::string main =
      "<section class=\"hero\" aria-labelledby=\"hero-title\"><div class=\"container\">"
      "<h1 id=\"hero-title\">" +
      std::string(w.portal_title) + "</h1><p class=\"hero-lead\">" + std::string(w.portal_lead) +
      "</p><form class=\"search\" role=\"search\" action=\"/\" method=\"get\"><label "
      "for=\"proc-search\" class=\"search-label\">" +
      std::string(w.search_label) +
      "</label><div class=\"search-row\"><input id=\"proc-search\" type=\"search\" name=\"q\" "
      "value=\"" +
      EscapeHtml(q) + "\" placeholder=\"" + std::string(w.search_placeholder) +
      "\" autocomplete=\"off\" aria-describedby=\"proc-search-hint\">" +
      (w.lang == "en" ? "<input type=\"hidden\" name=\"lang\" value=\"en\">" : "") +
      "<button class=\"btn btn-primary\" type=\"submit\">" + std::string(w.search_button) +
      "</button></div><p id=\"proc-search-hint\" class=\"search-hint\">" +
      std::string(w.search_hint) +
      "</p></form></div></section><div class=\"container portal-grid\"><section "
      "aria-labelledby=\"results-title\" class=\"results\">";
  const bool filtered = !q.empty() || !field.empty() || !level.empty();
  if (filtered) {
    const std::vector<Procedure> found = catalog.List(q, field, level);
    main += "<h2 id=\"results-title\">" + std::string(w.results) + "</h2><p class=\"muted\">" +
            Count(found.size(), w) + "</p><ul class=\"proc-list\">";
    for (const Procedure& p : found) {
      main += Card(p, catalog::CompetentName(p, FindSector(view, p.competent.sector)), w);
    }
    main += "</ul>";
  } else {
    // Grouped by who decides, in the order of their names as GroupOrderKey sorts them (the web
    // UI's Home.tsx sorts the same way); each group in the catalog's order.
    struct Group {
      std::string name;
      std::vector<const Procedure*> procedures;
    };
    std::vector<Group> groups;
    std::size_t count = 0;
    for (const auto& p : view.procedures) {
      if (!p->active) continue;
      std::string name(Pick(catalog::CompetentName(*p, FindSector(view, p->competent.sector)), w));
      auto it = std::find_if(groups.begin(), groups.end(),
                             [&](const Group& g) { return g.name == name; });
      if (it == groups.end()) it = groups.insert(groups.end(), Group{std::move(name), {}});
      it->procedures.push_back(p.get());
      ++count;
    }
    std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
      return GroupOrderKey(a.name) < GroupOrderKey(b.name);
    });
    main += "<h2 id=\"results-title\">" + std::string(w.all_procedures) +
            "</h2><p class=\"muted\">" + Count(count, w) + "</p>";
    for (const Group& group : groups) {
      main += "<section class=\"sector\"><h3 class=\"sector-title\">" +
              EscapeHtml(group.name.empty() ? w.other_agency : group.name) +
              "</h3><ul class=\"proc-list\">";
      for (const Procedure* p : group.procedures) {
        main += Card(*p, catalog::CompetentName(*p, FindSector(view, p->competent.sector)), w);
      }
      main += "</ul></section>";
    }
  }
  main +=
      "</section><aside class=\"side\" aria-labelledby=\"lookup-title\"><div class=\"card\"><h2 "
      "id=\"lookup-title\">" +
      std::string(w.lookup_title) + "</h2><p class=\"muted\">" + std::string(w.lookup_intro_short) +
      "</p>" + LookupForm("home", "form", false, w) + "</div></aside></div>";
  return Frame(main, w, self);
}

std::string ProcedurePage(const Procedure& p, const catalog::AgencyName& agency, const Words& w,
                          std::string_view self) {
  std::string main = "<div class=\"container\"><nav aria-label=\"" + std::string(w.breadcrumb) +
                     "\" class=\"breadcrumb\"><a href=\"" + Link("/", w) + "\">" +
                     std::string(w.nav_portal) + "</a> <span aria-hidden=\"true\">›</span> <span>" +
                     EscapeHtml(p.code) + "</span></nav><h1>" + EscapeHtml(ProcedureName(p, w)) +
                     "</h1>";
  if (w.lang == "en" && !p.name_en.empty()) {
    main += "<p class=\"proc-alt\" lang=\"vi\">" + EscapeHtml(p.name) + "</p>";
  }
  main += "<div class=\"proc-actions\"><span class=\"badge online-" + EscapeHtml(p.online_level) +
          "\">" + EscapeHtml(OnlineLevel(p.online_level, w)) +
          "</span> <a class=\"btn btn-primary btn-large\" href=\"" +
          Link("/thu-tuc/nop?ma=" + EscapeHtml(p.code), w) + "\">" + std::string(w.submit_online) +
          "</a></div><div class=\"proc-detail\"><section class=\"card\" "
          "aria-labelledby=\"sec-general\"><h2 id=\"sec-general\">" +
          std::string(w.general) + "</h2><dl class=\"kv\">";
  const auto kv = [&](std::string_view term, std::string_view value_html) {
    main += "<dt>";
    main += term;
    main += "</dt><dd>";
    main += value_html;
    main += "</dd>";
  };
  kv(w.proc_code, EscapeHtml(p.code));
  kv(w.field, EscapeHtml(p.field_name));
  kv(w.agency, EscapeHtml(Pick(agency, w).empty() ? "—" : Pick(agency, w)));
  kv(w.level, EscapeHtml(Level(p.level, w)));
  kv(w.time, EscapeHtml(Time(p.processing_time, w)));
  main +=
      "</dl></section><section class=\"card\" aria-labelledby=\"sec-fees\"><h2 "
      "id=\"sec-fees\">" +
      std::string(w.fee) + "</h2>";
  if (p.fees.empty()) {
    main += "<p>" + std::string(w.free) + "</p>";
  } else {
    main += "<ul>";
    for (const catalog::Fee& f : p.fees) {
      main += "<li>" + EscapeHtml(f.name) + ": " + EscapeHtml(Money(f.amount, w));
      if (!f.note.empty()) main += " (" + EscapeHtml(f.note) + ")";
      main += "</li>";
    }
    main += "</ul>";
  }
  main +=
      "</section><section class=\"card\" aria-labelledby=\"sec-components\"><h2 "
      "id=\"sec-components\">" +
      std::string(w.components) + "</h2><ol class=\"components\">";
  for (const catalog::Component& c : p.components) {
    std::vector<std::string> copies;
    const auto add = [&](int n, std::string_view what) {
      if (n > 0) copies.push_back(std::to_string(n) + " " + std::string(what));
    };
    add(c.originals, w.originals);
    add(c.certified, w.certified);
    add(c.copies, w.copies);
    main += "<li>" + EscapeHtml(c.name);
    std::string detail;
    for (const std::string& part : copies) detail += (detail.empty() ? "" : ", ") + part;
    if (!detail.empty()) main += " — " + EscapeHtml(detail);
    main += " (" + std::string(c.required ? w.required : w.optional) + ")";
    main += "</li>";
  }
  main += "</ol></section>";
  if (!p.results.empty()) {
    main += "<section class=\"card\" aria-labelledby=\"sec-results\"><h2 id=\"sec-results\">" +
            std::string(w.results_section) + "</h2><ul>";
    for (const std::string& r : p.results) main += "<li>" + EscapeHtml(r) + "</li>";
    main += "</ul></section>";
  }
  main += "</div></div>";
  return Frame(main, w, self);
}

std::string When(const std::optional<core::Seconds>& t) {
  return t ? core::FormatVietnamDateTime(*t) : "—";
}

std::string_view TimelinessWord(dossiers::Timeliness t, const Words& w) {
  const bool en = w.lang == "en";
  switch (t) {
    case dossiers::Timeliness::kEarly:
      return en ? "Early" : "Trước hạn";
    case dossiers::Timeliness::kOnTime:
      return en ? "On time" : "Đúng hạn";
    case dossiers::Timeliness::kLate:
      return en ? "Late" : "Trễ hạn";
    case dossiers::Timeliness::kUndue:
      return en ? "Within deadline" : "Trong hạn";
    case dossiers::Timeliness::kOverdue:
      return en ? "Overdue" : "Quá hạn";
    case dossiers::Timeliness::kNone:
      break;
  }
  return {};
}

// The public timeline (PublicView::events_json) as the web UI's Timeline draws it.
std::string TimelineHtml(std::string_view events_json, const Words& w) {
  boost::system::error_code ec;
  const boost::json::value events = boost::json::parse(events_json, ec);
  if (ec || !events.is_array()) return {};
  std::string out = "<ol class=\"timeline\">";
  for (const boost::json::value& e : events.as_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    const auto text = [&](std::string_view key) -> std::string {
      const auto* v = o.if_contains(key);
      return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    std::string when = text("at");
    if (auto at = core::ParseTimestamp(when)) when = core::FormatVietnamDateTime(*at);
    const std::string status = text(w.lang == "en" ? "status_name_en" : "status_name");
    out += "<li><p><time>" + EscapeHtml(when) + "</time> · <strong>" + EscapeHtml(status) +
           "</strong></p>";
    if (!text("agency_name").empty()) out += "<p>" + EscapeHtml(text("agency_name")) + "</p>";
    if (!text("content").empty()) out += "<p>" + EscapeHtml(text("content")) + "</p>";
    out += "</li>";
  }
  return out + "</ol>";
}

// The result of a lookup, or why there is none, as Lookup.tsx shows them.
std::string LookupResult(const Result<dossiers::PublicView>& found, const Words& w) {
  if (!found.ok()) {
    const auto& e = found.error();
    return "<div class=\"error-box\" role=\"alert\"><p>" +
           EscapeHtml(w.lang == "en" ? e.message_en : e.message_vi) + "</p></div>";
  }
  const dossiers::Dossier& d = found->dossier;
  std::string out = "<section class=\"card\" aria-labelledby=\"lk-result\"><h2 id=\"lk-result\">" +
                    std::string(w.lookup_result) + ": " + EscapeHtml(d.code) +
                    "</h2><dl class=\"kv\">";
  const auto kv = [&](std::string_view term, const std::string& value) {
    out += "<dt>" + std::string(term) + "</dt><dd>" + EscapeHtml(value) + "</dd>";
  };
  kv(w.procedure, d.procedure_name);
  kv(w.applicant, d.applicant.name);
  kv(w.status, std::string(w.lang == "en" ? dossiers::StatusNameEn(d.status)
                                          : dossiers::StatusNameVi(d.status)));
  kv(w.received, When(d.received_at));
  kv(w.due, When(d.due_at));
  if (d.finished_at) kv(w.finished, When(d.finished_at));
  if (d.returned_at) kv(w.returned, When(d.returned_at));
  if (auto word = TimelinessWord(d.timeliness, w); !word.empty()) {
    kv(w.timeliness, std::string(word));
  }
  out += "</dl><h3>" + std::string(w.timeline) + "</h3>" + TimelineHtml(found->events_json, w) +
         "</section>";
  return out;
}

std::string LookupPage(const Words& w, std::string_view self, std::string_view code = {},
                       std::string_view secret = {}, std::string_view result_html = {}) {
  return Frame("<div class=\"container\"><h1>" + std::string(w.lookup_title) +
                   "</h1><p class=\"lead\">" + std::string(w.lookup_intro) + "</p>" +
                   LookupForm("lookup", "card form lookup-form", true, w, code, secret) +
                   "<div aria-live=\"polite\">" + std::string(result_html) + "</div></div>",
               w, self);
}

std::string Title(std::string_view page) { return EscapeHtml(page) + " — Tỉnh số"; }

// The page's own address without the language (escaped), for the switch to the other one.
std::string SelfLink(std::string_view path, const http::Request& request) {
  std::string out = EscapeHtml(path);
  char sep = '?';
  for (const auto& [key, value] : request.query) {
    if (key == "lang") continue;
    if (key != "q" && key != "field" && key != "level" && key != "ma" && key != "k") continue;
    if (value.size() > kMaxQuery || !core::IsValidUtf8(value)) continue;
    out += sep == '?' ? "?" : "&amp;";
    sep = '&';
    out += EscapeHtml(key) + "=" + EscapeHtml(http::PercentEncode(value));
  }
  return out;
}

}  // namespace

std::string GroupOrderKey(std::string_view name) { return core::SearchKey(name); }

std::shared_ptr<const http::RenderedPage> Pages::Render(const http::Request& request) const {
  const std::string_view path = request.path;
  const Words& w = LanguageOf(request);
  std::string key;
  std::string code;
  std::string q;
  std::string field;
  std::string level;
  if (path == "/" || path == "/index.html") {
    q = Param(request, "q");
    field = Param(request, "field");
    level = Param(request, "level");
    key = "home";
  } else if (path == "/thu-tuc" || path == "/thu-tuc/") {
    code = Param(request, "ma");
  } else if (path.starts_with("/thu-tuc/") && path.find('/', 9) == std::string_view::npos) {
    code = std::string(path.substr(9));
  } else if (path == "/tra-cuu" || path == "/tra-cuu/") {
    key = "lookup";
  } else {
    return nullptr;
  }
  if (key.empty()) {
    if (code.empty() || code.size() > 32) return nullptr;
    key = "procedure:" + code;
  }
  const std::string self = SelfLink(path, request);
  auto page = std::make_shared<http::RenderedPage>();
  page->lang = std::string(w.lang);

  // A lookup's answer belongs to whoever holds the code and the secret: drawn for this request
  // only, never kept.
  if (key == "lookup") {
    const std::string lookup_code = Param(request, "ma", kMaxLookupArgument);
    const std::string secret = Param(request, "k", kMaxLookupArgument);
    if (!lookup_code.empty() && !secret.empty() && lookup_) {
      page->key.clear();
      page->no_store = true;
      page->html = LookupPage(w, self, lookup_code, secret,
                              LookupResult(lookup_(lookup_code, secret, request.client_ip), w));
      page->title_html = Title(std::string(w.lookup_title) + ": " + lookup_code);
      return page;
    }
  }

  const bool search = !q.empty() || !field.empty() || !level.empty();
  key += ":" + page->lang;
  auto generation = catalog_.Generation();
  if (!generation.ok()) return nullptr;
  if (!search) {
    std::lock_guard lock(mu_);
    if (*generation != generation_) {
      kept_.clear();
      generation_ = *generation;
    }
    if (auto it = kept_.find(key); it != kept_.end()) return it->second;
  }

  auto view = catalog_.Current();
  if (!view.ok()) return nullptr;
  // The key tells the static files when the text changes: with the generation it was made from.
  page->key = std::to_string(view->generation) + ":" + key;
  if (key.starts_with("home:")) {
    page->html = Home(catalog_, *view, q, field, level, w, self);
    if (search) {
      page->key += "?q=" + q + "&field=" + field + "&level=" + level;
      page->title_html = Title(std::string(w.search_title) + q);
    }
  } else if (key.starts_with("lookup:")) {
    page->html = LookupPage(w, self);
    page->title_html = Title(w.lookup_title);
  } else {
    const auto it = std::find_if(view->procedures.begin(), view->procedures.end(),
                                 [&](const auto& p) { return p->code == code; });
    if (it == view->procedures.end()) return nullptr;
    const Procedure& p = **it;
    page->html =
        ProcedurePage(p, catalog::CompetentName(p, FindSector(*view, p.competent.sector)), w, self);
    page->title_html = Title(ProcedureName(p, w));
  }
  if (!search) {
    std::lock_guard lock(mu_);
    // Kept under the generation it was made from, which is the current one unless an import
    // landed in between (then the next request starts again).
    if (view->generation == generation_) kept_[key] = page;
  }
  return page;
}

http::PageRenderer Pages::Renderer() const {
  return [this](const http::Request& request) { return Render(request); };
}

}  // namespace tinhso::portal
