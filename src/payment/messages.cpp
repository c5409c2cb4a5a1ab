#include "payment/messages.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>

#include "core/crypto.hpp"
#include "core/text.hpp"

namespace tinhso::payment {
namespace {

// The one table of checksum field orders (UNCONFIRMED: see messages.hpp).
constexpr std::array<std::string_view, 14> kInitFields = {
    "LoaiBanTin",        "PhienBan",         "MaDoiTac",   "MaThamChieu", "SoTien",
    "LoaiHinhThanhToan", "MaKenhThanhToan",  "MaThietBi",  "NgonNgu",     "MaTienTe",
    "MaNganHang",        "ThongTinGiaoDich", "ThoiGianGD", "Ip"};
constexpr std::array<std::string_view, 6> kInitAnswerFields = {
    "LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "UrlThanhToan", "ThoiGianGD"};
constexpr std::array<std::string_view, 10> kConfirmFields = {
    "LoaiBanTin", "MaLoi",      "MaDoiTac",   "MaThamChieu", "SoTien",
    "MaTienTe",   "MaGiaoDich", "MaNganHang", "ThoiGianGD",  "ThongTinGiaoDich"};
constexpr std::array<std::string_view, 4> kConfirmAnswerFields = {"MaLoi", "MaDoiTac",
                                                                  "MaThamChieu", "ThoiGianGD"};
constexpr std::array<std::string_view, 5> kQueryFields = {"LoaiBanTin", "PhienBan", "MaDoiTac",
                                                          "MaThamChieu", "ThoiGianGD"};
constexpr std::array<std::string_view, 11> kQueryAnswerFields = {
    "LoaiBanTin", "MaLoi",      "MaDoiTac",   "MaThamChieu",      "SoTien",     "MaTienTe",
    "MaGiaoDich", "MaNganHang", "ThoiGianGD", "ThongTinGiaoDich", "TrangThaiGD"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::span<const std::string_view> ChecksumFields(MessageKind kind) {
  switch (kind) {
    case MessageKind::kInit:
      return kInitFields;
    case MessageKind::kInitAnswer:
      return kInitAnswerFields;
    case MessageKind::kConfirm:
      return kConfirmFields;
    case MessageKind::kConfirmAnswer:
      return kConfirmAnswerFields;
    case MessageKind::kQuery:
      return kQueryFields;
    case MessageKind::kQueryAnswer:
      return kQueryAnswerFields;
  }
  return {};
}

std::string_view Field(const Fields& fields, std::string_view name) {
  auto it = fields.find(std::string(name));
  return it == fields.end() ? std::string_view{} : std::string_view(it->second);
}

std::string ChecksumInput(MessageKind kind, const Fields& fields, std::string_view secret) {
  std::string out;
  for (std::string_view name : ChecksumFields(kind)) {
    out += Field(fields, name);
    out += '|';
  }
  out += secret;
  return out;
}

std::string Checksum(MessageKind kind, const Fields& fields, std::string_view secret) {
  return core::Sha256Hex(ChecksumInput(kind, fields, secret));
}

void Sign(MessageKind kind, Fields& fields, std::string_view secret) {
  fields["MaXacThuc"] = Checksum(kind, fields, secret);
}

bool HasValidChecksum(MessageKind kind, const Fields& fields, std::string_view secret) {
  const std::string given = Lower(Field(fields, "MaXacThuc"));
  const std::string expected = Checksum(kind, fields, secret);
  // Same length first: ConstantTimeEquals hides where two strings differ, not their lengths,
  // and the expected length (64) is public anyway.
  return given.size() == expected.size() && core::ConstantTimeEquals(given, expected);
}

std::string GatewayTime(core::Seconds t) {
  const auto local = t + core::kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(local - day);
  char text[32];
  std::snprintf(text, sizeof text, "%04d%02u%02u%02d%02d%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return text;
}

Fields BuildInit(const Payment& payment, const GatewayConfig& config, core::Seconds now) {
  Fields f;
  f["LoaiBanTin"] = "INIT";
  f["PhienBan"] = std::string(kVersion);
  f["MaDoiTac"] = config.partner_code;
  f["MaThamChieu"] = payment.reference;
  f["SoTien"] = std::to_string(payment.amount);
  f["LoaiHinhThanhToan"] = "PAY";
  f["MaKenhThanhToan"] = config.channel;
  f["MaThietBi"] = config.device;
  f["NgonNgu"] = "vi-VN";
  f["MaTienTe"] = "VND";
  f["MaNganHang"] = config.bank_code;
  f["ThongTinGiaoDich"] = payment.description;
  f["ThoiGianGD"] = GatewayTime(now);
  f["Ip"] = config.server_ip;
  Sign(MessageKind::kInit, f, config.secret);
  return f;
}

std::string InitJson(const Fields& init, const Payment& payment, const GatewayConfig& config) {
  boost::json::object o;
  for (const auto& [name, value] : init) o[name] = value;
  if (!config.return_url.empty()) o["UrlTraVe"] = config.return_url;
  boost::json::object receipt;
  receipt["MaDVC"] = payment.procedure_code;
  receipt["TenDVC"] = payment.procedure_name;
  receipt["MaTTHC"] = payment.procedure_code;
  receipt["TenTTHC"] = payment.procedure_name;
  receipt["MaDonVi"] = payment.agency_code;
  receipt["TenDonVi"] = payment.agency_name;
  receipt["MaHoSo"] = payment.dossier_code;
  receipt["HoTenNguoiNop"] = payment.payer_name;
  receipt["SoCMNDNguoiNop"] = payment.payer_id_number;
  receipt["NoiDungThanhToan"] = payment.description;
  boost::json::array fees;
  for (const FeeLine& fee : payment.fees) {
    boost::json::object line;
    line["LoaiPhiLePhi"] = fee.kind;
    line["MaPhiLePhi"] = fee.code;
    line["TenPhiLePhi"] = fee.name;
    line["SoTien"] = std::to_string(fee.amount);
    fees.push_back(std::move(line));
  }
  receipt["PhiLePhi"] = std::move(fees);
  o["ThongTinBienLai"] = std::move(receipt);
  return boost::json::serialize(o);
}

Fields BuildQuery(std::string_view reference, const GatewayConfig& config,
                  core::Seconds transaction_time) {
  Fields f;
  f["LoaiBanTin"] = "QUERY";
  f["PhienBan"] = std::string(kVersion);
  f["MaDoiTac"] = config.partner_code;
  f["MaThamChieu"] = std::string(reference);
  f["ThoiGianGD"] = GatewayTime(transaction_time);
  Sign(MessageKind::kQuery, f, config.secret);
  return f;
}

Fields BuildConfirmAnswer(std::string_view code, std::string_view description,
                          std::string_view reference, std::string_view time,
                          const GatewayConfig& config) {
  Fields f;
  f["MaLoi"] = std::string(code);
  f["MoTaLoi"] = std::string(description);
  f["MaDoiTac"] = config.partner_code;
  f["MaThamChieu"] = std::string(reference);
  f["ThoiGianGD"] = std::string(time);
  Sign(MessageKind::kConfirmAnswer, f, config.secret);
  return f;
}

std::string ToJson(const Fields& fields) {
  boost::json::object o;
  for (const auto& [name, value] : fields) o[name] = value;
  return boost::json::serialize(o);
}

Result<Fields> FieldsFromJson(std::string_view body) {
  auto bad = [](std::string_view why_vi, std::string_view why_en, std::string detail = {}) {
    return MakeError(ErrorCode::kInvalidArgument, "payment.bad_message",
                     "Bản tin thanh toán không hợp lệ: " + std::string(why_vi),
                     "The payment message is malformed: " + std::string(why_en), std::move(detail));
  };
  if (!core::IsValidUtf8(body)) return bad("không phải văn bản UTF-8.", "not UTF-8 text.");
  boost::json::parse_options options;
  options.max_depth = 8;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec, {}, options);
  if (ec) return bad("sai cú pháp JSON.", "not valid JSON.", ec.message());
  if (!v.is_object()) return bad("phải là một đối tượng JSON.", "must be a JSON object.");
  Fields fields;
  for (const auto& member : v.as_object()) {
    const boost::json::value& x = member.value();
    std::string name(member.key());
    if (x.is_string()) {
      fields[name] = std::string(x.as_string());
    } else if (x.is_int64()) {
      fields[name] = std::to_string(x.as_int64());
    } else if (x.is_uint64()) {
      fields[name] = std::to_string(x.as_uint64());
    } else if (x.is_double() || x.is_bool()) {
      fields[name] = boost::json::serialize(x);
    } else if (x.is_null()) {
      fields[name] = "";
    }
  }
  return fields;
}

}  // namespace tinhso::payment
