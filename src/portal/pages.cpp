// The portal's public pages as HTML. The markup mirrors the web UI's (web/src/components/
// Layout.tsx, pages/portal/Home.tsx, Procedure.tsx, Lookup.tsx) and uses its class names, so the
// page does not jump when the script replaces it; the words are those of web/src/i18n/vi.ts.
// Everything that comes from the catalog or the address is escaped (core::EscapeHtml).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/text.hpp"
#include "portal/portal.hpp"

namespace tinhso::portal {
namespace {

using catalog::Procedure;
using core::EscapeHtml;

// A search longer than this is not one a person typed: the page is rendered without it.
constexpr std::size_t kMaxQuery = 200;

// 1250000 → "1.250.000 đồng", as vi-VN writes money.
std::string Money(std::int64_t amount) {
  std::string digits = std::to_string(amount < 0 ? -amount : amount);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return (amount < 0 ? "-" : "") + out + " đồng";
}

std::string Number(double value) {
  if (value == std::floor(value)) return std::to_string(static_cast<long long>(value));
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  std::string out = text;
  std::replace(out.begin(), out.end(), '.', ',');  // vi-VN: 1,5 ngày
  return out;
}

std::string Time(const catalog::ProcessingTime& t) {
  if (t.value == 0) return "Trả ngay trong ngày";
  switch (t.unit) {
    case catalog::TimeUnit::kWorkingDays:
      return Number(t.value) + " ngày làm việc";
    case catalog::TimeUnit::kDays:
      return Number(t.value) + " ngày";
    case catalog::TimeUnit::kHours:
      return Number(t.value) + " giờ";
  }
  return Number(t.value);
}

std::string_view Level(std::string_view level) {
  return level == "commune" ? "Cấp xã" : level == "province" ? "Cấp tỉnh" : level;
}

std::string_view OnlineLevel(std::string_view level) {
  return level == "full" ? "Trực tuyến toàn trình" : "Trực tuyến một phần";
}

// A query parameter as UTF-8 text, or "" (invalid bytes, or longer than a person types).
std::string Param(const http::Request& request, std::string_view name) {
  const auto it = request.query.find(std::string(name));
  if (it == request.query.end() || it->second.size() > kMaxQuery ||
      !core::IsValidUtf8(it->second)) {
    return {};
  }
  return it->second;
}

std::string ProcedureUrl(std::string_view code) {
  // Codes are digits and dots (validated by the catalog); escaped all the same.
  return "/thu-tuc?ma=" + EscapeHtml(code);
}

void Row(std::string& out, std::string_view term, std::string_view value_html) {
  out += "<div><dt>";
  out += term;
  out += "</dt><dd>";
  out += value_html;
  out += "</dd></div>";
}

// The site's header, navigation, then `main`, then the footer (Layout.tsx).
std::string Frame(std::string_view main_html) {
  std::string out;
  out.reserve(main_html.size() + 2048);
  out +=
      "<a class=\"skip-link\" href=\"#main\">Bỏ qua, đến nội dung chính</a>"
      "<header class=\"site-header\"><div class=\"header-inner\">"
      "<a href=\"/\" class=\"brand\"><svg aria-hidden=\"true\" viewBox=\"0 0 32 32\" width=\"36\" "
      "height=\"36\"><rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#9b1c1c\"/><path d=\"M16 "
      "6l2.6 6.9 7.4.3-5.8 4.6 2 7.1L16 20.8l-6.2 4.1 2-7.1L6 13.2l7.4-.3z\" fill=\"#fcd34d\"/>"
      "</svg><span class=\"brand-text\"><span class=\"brand-name\">Tỉnh số</span>"
      "<span class=\"brand-sub\">Cổng dịch vụ công trực tuyến</span></span></a>"
      "<div class=\"header-tools\"><a class=\"btn btn-small btn-light\" href=\"/dang-nhap\">"
      "Đăng nhập</a></div></div>"
      "<nav id=\"main-nav\" class=\"main-nav\" aria-label=\"Điều hướng chính\"><ul>"
      "<li><a href=\"/\">Dịch vụ công</a></li><li><a href=\"/tra-cuu\">Tra cứu hồ sơ</a></li>"
      "<li><a href=\"/kiem-tra-chu-ky\">Kiểm tra chữ ký số</a></li></ul></nav></header>"
      "<main id=\"main\" tabindex=\"-1\">";
  out += main_html;
  out +=
      "</main><footer class=\"site-footer\"><div class=\"footer-inner\"><p>Tỉnh số — nền tảng "
      "chính quyền số mã nguồn mở của tỉnh. Dữ liệu cá nhân được bảo vệ theo Nghị định "
      "13/2023/NĐ-CP.</p><p>Hỗ trợ: Trung tâm Phục vụ hành chính công tỉnh, giờ hành chính các "
      "ngày làm việc · <a href=\"/tra-cuu\">Tra cứu hồ sơ</a></p></div></footer>";
  return out;
}

// The lookup form: a plain GET to /tra-cuu?ma=&k=, which the web UI answers at once. `form_class`
// and `grid` as the page it stands on draws it (Home.tsx's side card, Lookup.tsx's form).
std::string LookupForm(std::string_view id_prefix, std::string_view form_class, bool grid) {
  const std::string code_id = std::string(id_prefix) + "-code";
  const std::string secret_id = std::string(id_prefix) + "-secret";
  return "<form action=\"/tra-cuu\" method=\"get\" class=\"" + std::string(form_class) + "\">" +
         (grid ? "<div class=\"grid2\">" : "") + "<div class=\"field\"><label for=\"" + code_id +
         "\">Mã hồ sơ</label><input id=\"" + code_id +
         "\" name=\"ma\" required autocomplete=\"off\"></div><div class=\"field\"><label for=\"" +
         secret_id + "\">Mã tra cứu</label><input id=\"" + secret_id +
         "\" name=\"k\" required autocomplete=\"off\"></div>" + (grid ? "</div>" : "") +
         "<button class=\"btn btn-primary\" type=\"submit\">Tra cứu</button></form>";
}

std::string Card(const Procedure& p, const catalog::AgencyName& agency) {
  std::string out = "<li class=\"proc-card\"><h3><a href=\"" + ProcedureUrl(p.code) + "\">" +
                    EscapeHtml(p.name) + "</a></h3><dl class=\"proc-meta\">";
  Row(out, "Mã thủ tục", EscapeHtml(p.code));
  Row(out, "Lĩnh vực", EscapeHtml(p.field_name));
  Row(out, "Cấp thực hiện", EscapeHtml(Level(p.level)));
  if (!agency.vi.empty()) Row(out, "Cơ quan thực hiện", EscapeHtml(agency.vi));
  Row(out, "Thời hạn giải quyết", EscapeHtml(Time(p.processing_time)));
  const std::int64_t fee = p.TotalFee();
  Row(out, "Phí, lệ phí", fee > 0 ? EscapeHtml(Money(fee)) : "Không thu phí");
  out += "</dl><span class=\"badge online-" + EscapeHtml(p.online_level) + "\">" +
         EscapeHtml(OnlineLevel(p.online_level)) + "</span></li>";
  return out;
}

const catalog::Sector* FindSector(const catalog::Service::View& view, std::string_view code) {
  for (const catalog::Sector& s : view.sectors) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

// The home: the search form, then every active procedure grouped by who decides (or the
// results of a search), and the lookup form beside.
std::string Home(const catalog::Service& catalog, const catalog::Service::View& view,
                 std::string_view q, std::string_view field, std::string_view level) {
  std::string main =
      "<section class=\"hero\" aria-labelledby=\"hero-title\"><div class=\"container\">"
      "<h1 id=\"hero-title\">Cổng dịch vụ công</h1><p class=\"hero-lead\">Tìm thủ tục hành "
      "chính, nộp hồ sơ trực tuyến và theo dõi kết quả giải quyết.</p>"
      "<form class=\"search\" role=\"search\" action=\"/\" method=\"get\"><label "
      "for=\"proc-search\" class=\"search-label\">Tìm thủ tục hành chính</label><div "
      "class=\"search-row\"><input id=\"proc-search\" type=\"search\" name=\"q\" value=\"" +
      EscapeHtml(q) +
      "\" placeholder=\"Ví dụ: khai sinh, ket hon, 1.001193, lý lịch tư pháp\" "
      "autocomplete=\"off\" aria-describedby=\"proc-search-hint\"><button class=\"btn "
      "btn-primary\" type=\"submit\">Tìm kiếm</button></div><p id=\"proc-search-hint\" "
      "class=\"search-hint\">Gõ tên, mã thủ tục hoặc lĩnh vực; có thể gõ không dấu.</p></form>"
      "</div></section><div class=\"container portal-grid\"><section "
      "aria-labelledby=\"results-title\" class=\"results\">";
  const bool filtered = !q.empty() || !field.empty() || !level.empty();
  if (filtered) {
    const std::vector<Procedure> found = catalog.List(q, field, level);
    main += "<h2 id=\"results-title\">Kết quả tìm kiếm</h2><p class=\"muted\">Tìm thấy " +
            std::to_string(found.size()) + " thủ tục</p><ul class=\"proc-list\">";
    for (const Procedure& p : found) {
      main += Card(p, catalog::CompetentName(p, FindSector(view, p.competent.sector)));
    }
    main += "</ul>";
  } else {
    // Grouped by who decides, in the order of their names; each group in code order.
    std::map<std::string, std::vector<const Procedure*>> groups;
    std::size_t count = 0;
    for (const auto& p : view.procedures) {
      if (!p->active) continue;
      groups[catalog::CompetentName(*p, FindSector(view, p->competent.sector)).vi].push_back(
          p.get());
      ++count;
    }
    main += "<h2 id=\"results-title\">Tất cả thủ tục</h2><p class=\"muted\">Tìm thấy " +
            std::to_string(count) + " thủ tục</p>";
    for (const auto& [agency, procedures] : groups) {
      main += "<section class=\"sector\"><h3 class=\"sector-title\">" +
              EscapeHtml(agency.empty() ? "Cơ quan khác" : agency) +
              "</h3><ul class=\"proc-list\">";
      for (const Procedure* p : procedures) {
        main += Card(*p, catalog::CompetentName(*p, FindSector(view, p->competent.sector)));
      }
      main += "</ul></section>";
    }
  }
  main +=
      "</section><aside class=\"side\" aria-labelledby=\"lookup-title\"><div class=\"card\"><h2 "
      "id=\"lookup-title\">Tra cứu hồ sơ</h2><p class=\"muted\">Theo dõi tình trạng hồ sơ bằng mã "
      "hồ sơ và mã tra cứu.</p>" +
      LookupForm("home", "form", false) + "</div></aside></div>";
  return Frame(main);
}

std::string ProcedurePage(const Procedure& p, const catalog::AgencyName& agency) {
  std::string main =
      "<div class=\"container\"><nav aria-label=\"Đường dẫn\" class=\"breadcrumb\">"
      "<a href=\"/\">Dịch vụ công</a> <span aria-hidden=\"true\">›</span> <span>" +
      EscapeHtml(p.code) + "</span></nav><h1>" + EscapeHtml(p.name) +
      "</h1><div class=\"proc-actions\"><span class=\"badge online-" + EscapeHtml(p.online_level) +
      "\">" + EscapeHtml(OnlineLevel(p.online_level)) +
      "</span> <a class=\"btn btn-primary btn-large\" href=\"/thu-tuc/nop?ma=" +
      EscapeHtml(p.code) +
      "\">Nộp hồ sơ trực tuyến</a></div><div class=\"proc-detail\">"
      "<section class=\"card\" aria-labelledby=\"sec-general\"><h2 "
      "id=\"sec-general\">Thông tin chung</h2><dl class=\"kv\">";
  const auto kv = [&](std::string_view term, std::string_view value_html) {
    main += "<dt>";
    main += term;
    main += "</dt><dd>";
    main += value_html;
    main += "</dd>";
  };
  kv("Mã thủ tục", EscapeHtml(p.code));
  kv("Lĩnh vực", EscapeHtml(p.field_name));
  kv("Cơ quan thực hiện", EscapeHtml(agency.vi.empty() ? "—" : agency.vi));
  kv("Cấp thực hiện", EscapeHtml(Level(p.level)));
  kv("Thời hạn giải quyết", EscapeHtml(Time(p.processing_time)));
  main +=
      "</dl></section><section class=\"card\" aria-labelledby=\"sec-fees\"><h2 "
      "id=\"sec-fees\">Phí, lệ phí</h2>";
  if (p.fees.empty()) {
    main += "<p>Không thu phí</p>";
  } else {
    main += "<ul>";
    for (const catalog::Fee& f : p.fees) {
      main += "<li>" + EscapeHtml(f.name) + ": " + EscapeHtml(Money(f.amount));
      if (!f.note.empty()) main += " (" + EscapeHtml(f.note) + ")";
      main += "</li>";
    }
    main += "</ul>";
  }
  main +=
      "</section><section class=\"card\" aria-labelledby=\"sec-components\"><h2 "
      "id=\"sec-components\">Thành phần hồ sơ</h2><ol class=\"components\">";
  for (const catalog::Component& c : p.components) {
    std::vector<std::string> copies;
    if (c.originals > 0) copies.push_back(std::to_string(c.originals) + " bản chính");
    if (c.certified > 0) copies.push_back(std::to_string(c.certified) + " bản sao chứng thực");
    if (c.copies > 0) copies.push_back(std::to_string(c.copies) + " bản chụp");
    main += "<li>" + EscapeHtml(c.name);
    std::string detail;
    for (const std::string& part : copies) detail += (detail.empty() ? "" : ", ") + part;
    if (!detail.empty()) main += " — " + EscapeHtml(detail);
    main += c.required ? " (Bắt buộc)" : " (Không bắt buộc)";
    main += "</li>";
  }
  main += "</ol></section>";
  if (!p.results.empty()) {
    main +=
        "<section class=\"card\" aria-labelledby=\"sec-results\"><h2 id=\"sec-results\">Kết "
        "quả thực hiện</h2><ul>";
    for (const std::string& r : p.results) main += "<li>" + EscapeHtml(r) + "</li>";
    main += "</ul></section>";
  }
  main += "</div></div>";
  return Frame(main);
}

std::string LookupPage() {
  return Frame(
      "<div class=\"container\"><h1>Tra cứu hồ sơ</h1><p class=\"lead\">Nhập mã hồ sơ và mã tra "
      "cứu in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, hoặc quét mã QR trên giấy.</p>" +
      LookupForm("lookup", "card form lookup-form", true) + "</div>");
}

std::string Title(std::string_view page) { return EscapeHtml(page) + " — Tỉnh số"; }

}  // namespace

std::shared_ptr<const http::RenderedPage> Pages::Render(const http::Request& request) const {
  const std::string_view path = request.path;
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
  const bool search = !q.empty() || !field.empty() || !level.empty();

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
  auto page = std::make_shared<http::RenderedPage>();
  // The key tells the static files when the text changes: with the generation it was made from.
  page->key = std::to_string(view->generation) + ":" + key;
  if (key == "home") {
    page->html = Home(catalog_, *view, q, field, level);
    if (search) {
      page->key += "?q=" + q + "&field=" + field + "&level=" + level;
      page->title_html = Title("Tìm thủ tục: " + q);
    }
  } else if (key == "lookup") {
    page->html = LookupPage();
    page->title_html = Title("Tra cứu hồ sơ");
  } else {
    const auto it = std::find_if(view->procedures.begin(), view->procedures.end(),
                                 [&](const auto& p) { return p->code == code; });
    if (it == view->procedures.end()) return nullptr;
    const Procedure& p = **it;
    page->html = ProcedurePage(p, catalog::CompetentName(p, FindSector(*view, p.competent.sector)));
    page->title_html = Title(p.name);
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
