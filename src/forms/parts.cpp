// The parts every form shares: the heading of Vietnamese official papers (NĐ 30/2020/NĐ-CP
// Phụ lục I: agency name top left, national motto top right, place and date under the motto),
// titles, labelled fields and signature blocks.
#include <algorithm>
#include <string>

#include "forms/forms.hpp"
#include "forms/layout.hpp"

namespace tinhso::forms {

std::string VietnameseDateLine(std::string_view place, int year, int month, int day) {
  // NĐ 30/2020 Phụ lục I: days below 10 and months 1 and 2 take a leading zero, so that no one
  // can turn "ngày 5" into "ngày 15" or "tháng 1" into "tháng 11" by adding a digit.
  const auto two_digits = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  const std::string day_text = two_digits(day);
  const std::string month_text = month <= 2 ? two_digits(month) : std::to_string(month);
  const std::string date =
      "ngày " + day_text + " tháng " + month_text + " năm " + std::to_string(year);
  if (place.empty()) {
    return "N" + date.substr(1);  // "Ngày …": the date opens the line
  }
  return std::string(place) + ", " + date;
}

namespace internal {
namespace {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsValidDate(const Date& date) {
  return date.year >= 1900 && date.year <= 9999 && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= DaysInMonth(date.year, date.month);
}

Error InvalidInput(std::string message_vi, std::string message_en) {
  return MakeError(ErrorCode::kInvalidArgument, "forms.invalid_input", std::move(message_vi),
                   std::move(message_en));
}

TextStyle HeadingStyle(bool bold) {
  return {.size_pt = 8, .bold = bold, .align = Align::kCenter, .line_spacing = 1.05};
}

// An agency's name in the letterhead, upper-case and escaped. When it needs two lines, they are
// cut where the two come out most even ("TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH CÔNG"), as the
// templates set it, not wherever the first line happens to fill ("… HÀNH CHÍNH / CÔNG").
std::string AgencyName(Canvas& canvas, std::string_view name, const TextStyle& style,
                       double width) {
  const std::string whole = canvas.Escape(name, /*upper=*/true);
  if (canvas.NaturalWidth(whole, style) <= width) return whole;
  std::string best;
  double best_width = width;
  for (std::size_t at = whole.find(' '); at != std::string::npos; at = whole.find(' ', at + 1)) {
    const std::string first = whole.substr(0, at);
    const std::string second = whole.substr(at + 1);
    const double wider =
        std::max(canvas.NaturalWidth(first, style), canvas.NaturalWidth(second, style));
    if (wider <= best_width) {
      best_width = wider;
      best = first + "\n" + second;
    }
  }
  return best.empty() ? whole : best;  // more than two lines: Pango wraps it
}

}  // namespace

TextStyle Body() { return {}; }
TextStyle BodyBold() { return {.bold = true}; }

bool CheckCommon(Canvas& canvas, std::string_view dossier_code, const Date& issued_on) {
  if (dossier_code.empty()) {
    canvas.Fail(InvalidInput("Biểu mẫu thiếu mã hồ sơ", "the form has no dossier code"));
    return false;
  }
  if (!IsValidDate(issued_on)) {
    canvas.Fail(
        InvalidInput("Ngày lập biểu mẫu không hợp lệ", "the form's date is not a real day"));
    return false;
  }
  return true;
}

void Heading(Canvas& canvas, const Letterhead& letterhead, std::string_view dossier_code,
             const std::optional<Date>& issued_on) {
  // The agency block takes a little less than half the width, as on the templates; the motto
  // needs the rest to stay on one line.
  const double top = canvas.y();
  const double agency_width = canvas.content_width() * 0.44;
  const double motto_x = canvas.left() + agency_width;
  const double motto_width = canvas.content_width() - agency_width;

  double agency_y = top;
  if (!letterhead.parent_agency.empty()) {
    agency_y += canvas.DrawAt(
        canvas.left(), agency_y, agency_width,
        AgencyName(canvas, letterhead.parent_agency, HeadingStyle(false), agency_width),
        HeadingStyle(false));
  }
  agency_y += canvas.DrawAt(canvas.left(), agency_y, agency_width,
                            AgencyName(canvas, letterhead.agency, HeadingStyle(true), agency_width),
                            HeadingStyle(true));
  // The short rule under the agency name: about a third of the block, centred.
  agency_y += 2;
  canvas.HorizontalRule(canvas.left() + agency_width / 3, canvas.left() + agency_width * 2 / 3,
                        agency_y);
  agency_y += 4;
  if (!dossier_code.empty()) {
    agency_y +=
        canvas.DrawAt(canvas.left(), agency_y, agency_width,
                      "Mã hồ sơ: <b>" + canvas.Escape(dossier_code) + "</b>", HeadingStyle(false));
  }

  // The country's name stays on one line, as on every template: shrink it when the column
  // is too narrow rather than wrap it.
  const std::string country = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
  TextStyle country_style = HeadingStyle(true);
  const double country_width = canvas.NaturalWidth(country, country_style);
  if (country_width > motto_width) {
    country_style.size_pt *= motto_width / country_width * 0.98;
  }
  double motto_y = top;
  motto_y += canvas.DrawAt(motto_x, motto_y, motto_width, country, country_style);
  TextStyle motto_style = HeadingStyle(true);
  motto_style.size_pt = std::min(8.5, country_style.size_pt + 0.5);
  const std::string motto = "Độc lập - Tự do - Hạnh phúc";
  motto_y += canvas.DrawAt(motto_x, motto_y, motto_width, motto, motto_style);
  // The rule under the motto is as long as the motto itself.
  const double motto_text_width = canvas.NaturalWidth(motto, motto_style);
  motto_y += 1.5;
  canvas.HorizontalRule(motto_x + (motto_width - motto_text_width) / 2,
                        motto_x + (motto_width + motto_text_width) / 2, motto_y);
  motto_y += 4.5;
  if (issued_on) {
    TextStyle date_style = HeadingStyle(false);
    date_style.italic = true;
    date_style.size_pt = 8.5;
    motto_y += canvas.DrawAt(motto_x, motto_y, motto_width,
                             canvas.EscapeName(VietnameseDateLine(letterhead.place, issued_on->year,
                                                                  issued_on->month, issued_on->day),
                                               date_style, motto_width),
                             date_style);
  }
  canvas.Skip(std::max(agency_y, motto_y) - top + Mm(4));
}

void Title(Canvas& canvas, std::string_view title, std::string_view subtitle) {
  const TextStyle title_style{.size_pt = 11, .bold = true, .align = Align::kCenter};
  const TextStyle subtitle_style{.italic = true, .align = Align::kCenter};
  canvas.Paragraph(canvas.Escape(title), title_style);
  if (!subtitle.empty()) {
    canvas.Skip(1);
    canvas.Paragraph(canvas.Escape(subtitle), subtitle_style);
  }
  canvas.Skip(Mm(3));
}

void Field(Canvas& canvas, std::string_view label, std::string_view value, double indent) {
  if (value.empty()) {
    return;
  }
  canvas.Paragraph(canvas.Escape(label) + " <b>" + canvas.Escape(value) + "</b>", Body(), indent);
  canvas.Skip(1);
}

void NameField(Canvas& canvas, std::string_view label, std::string_view value) {
  if (value.empty()) {
    return;
  }
  canvas.Paragraph(canvas.Escape(label) + " <b>" +
                       canvas.EscapeName(value, BodyBold(), canvas.content_width()) + "</b>",
                   Body());
  canvas.Skip(1);
}

void Signatures(Canvas& canvas, const std::optional<Signer>& left, const Signer& right) {
  const double column_width = canvas.content_width() / 2;
  const TextStyle title_style{.size_pt = 8.5, .bold = true, .align = Align::kCenter};
  const TextStyle hint_style{.size_pt = 8, .italic = true, .align = Align::kCenter};
  const TextStyle name_style{.bold = true, .align = Align::kCenter};
  const double room_to_sign = Mm(16);

  // Measure first so that the whole block moves to the next page rather than splitting.
  const auto block_height = [&](const Signer& signer) {
    return canvas.Measure(canvas.Escape(signer.title, true), title_style, column_width) +
           canvas.Measure(canvas.Escape(signer.hint), hint_style, column_width) + room_to_sign +
           canvas.Measure(canvas.Escape(signer.name), name_style, column_width);
  };
  double height = block_height(right);
  if (left) {
    height = std::max(height, block_height(*left));
  }
  canvas.Skip(Mm(3));
  canvas.KeepTogether(height);

  const auto draw = [&](const Signer& signer, double x) {
    double y = canvas.y();
    y += canvas.DrawAt(x, y, column_width, canvas.Escape(signer.title, true), title_style);
    y += canvas.DrawAt(x, y, column_width, canvas.Escape(signer.hint), hint_style);
    y += room_to_sign;
    canvas.DrawAt(x, y, column_width, canvas.Escape(signer.name), name_style);
  };
  if (left) {
    draw(*left, canvas.left());
  }
  draw(right, canvas.left() + column_width);
  canvas.Skip(height);
}

}  // namespace internal
}  // namespace tinhso::forms
