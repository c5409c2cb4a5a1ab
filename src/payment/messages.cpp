#include "payment/messages.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>

#include "core/crypto.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"
#include "payment/errors.hpp"

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

// What a checksummed field may hold. No shape lets '|' or a control character through.
enum class Shape {
  kKind,      // LoaiBanTin: exactly the kind's name
  kCode,      // codes and identifiers: ASCII letters, digits and . _ - : /, at most 64
  kDigits,    // at most 18 digits (SoTien in đồng, TrangThaiGD)
  kTime,      // ThoiGianGD: yyyyMMddHHmmss
  kCurrency,  // three capital letters
  kText,      // free text (ThongTinGiaoDich, UrlThanhToan): at most 1000 bytes
};

Shape ShapeOf(std::string_view field) {
  if (field == "LoaiBanTin") return Shape::kKind;
  if (field == "SoTien" || field == "TrangThaiGD") return Shape::kDigits;
  if (field == "ThoiGianGD") return Shape::kTime;
  if (field == "MaTienTe") return Shape::kCurrency;
  if (field == "ThongTinGiaoDich" || field == "UrlThanhToan") return Shape::kText;
  return Shape::kCode;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsCodeChar(char c) {
  return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '_' ||
         c == '-' || c == ':' || c == '/';
}

// A value absent from the message ("") fits every shape but the kind: which fields a message
// must carry is the receiver's business.
bool Fits(Shape shape, std::string_view value, std::string_view kind) {
  auto all = [&](auto pred) {
    for (char c : value) {
      if (!pred(c)) return false;
    }
    return true;
  };
  switch (shape) {
    case Shape::kKind:
      return value == kind;
    case Shape::kCode:
      return value.size() <= 64 && all(IsCodeChar);
    case Shape::kDigits:
      return value.size() <= 18 && all(IsDigit);
    case Shape::kTime:
      return value.empty() || (value.size() == 14 && all(IsDigit));
    case Shape::kCurrency:
      return value.empty() ||
             (value.size() == 3 && all([](char c) { return c >= 'A' && c <= 'Z'; }));
    case Shape::kText:
      return value.size() <= 1000 && all([](char c) {
               const auto u = static_cast<unsigned char>(c);
               return c != '|' && u >= 0x20 && u != 0x7f;
             });
  }
  return false;
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

std::string_view KindName(MessageKind kind) {
  switch (kind) {
    case MessageKind::kInit:
    case MessageKind::kInitAnswer:
      return "INIT";
    case MessageKind::kConfirm:
      return "CONFIRM";
    case MessageKind::kQuery:
    case MessageKind::kQueryAnswer:
      return "QUERY";
    case MessageKind::kConfirmAnswer:
      return "";
  }
  return "";
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

Result<void> CheckMessage(MessageKind kind, const Fields& fields, std::string_view secret) {
  const std::string_view name = KindName(kind);
  for (std::string_view field : ChecksumFields(kind)) {
    if (!Fits(ShapeOf(field), Field(fields, field), name)) {
      const std::string quoted = internal::Quoted(field);
      Error e = internal::BadMessage("trường " + quoted + " có giá trị không hợp lệ.",
                                     "field " + quoted + " has an invalid value.");
      e.detail = std::string(field);
      return e;
    }
  }
  if (!HasValidChecksum(kind, fields, secret)) return internal::BadChecksum();
  return Ok();
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
  f["ThoiGianGD"] = core::FormatVietnamCompact(now);
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
  f["ThoiGianGD"] = core::FormatVietnamCompact(transaction_time);
  Sign(MessageKind::kQuery, f, config.secret);
  return f;
}

Fields BuildConfirmAnswer(std::string_view code, std::string_view description,
                          const Fields& confirmation, const GatewayConfig& config) {
  Fields f;
  f["MaLoi"] = std::string(code);
  f["MoTaLoi"] = std::string(description);
  f["MaDoiTac"] = config.partner_code;
  f["MaThamChieu"] = std::string(Field(confirmation, "MaThamChieu"));
  f["ThoiGianGD"] = std::string(Field(confirmation, "ThoiGianGD"));
  Sign(MessageKind::kConfirmAnswer, f, config.secret);
  return f;
}

Fields BuildRefusal(std::string_view code, std::string_view description) {
  return Fields{{"MaLoi", std::string(code)}, {"MoTaLoi", std::string(description)}};
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
