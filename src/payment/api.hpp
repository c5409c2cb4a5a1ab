// The payment module's API types (http/api.hpp): what its routes read and answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/api.hpp"
#include "payment/payment.hpp"

namespace tinhso::payment {

BOOST_DESCRIBE_ENUM(Status, kPending, kPaid, kFailed, kExpired, kRefunded)
TINHSO_API_STRUCT(FeeLine, (kind, code, name, amount))

// One message of the payment's log; the raw body stays out: it is evidence for the log, not
// for the screen.
struct PaymentEvent {
  std::string source;  // "callback", "init", "query"
  http::Timestamp received_at;
  std::string verdict;
  bool anomaly = false;
  std::string note;
};
TINHSO_API_STRUCT(PaymentEvent, (source, received_at, verdict, anomaly, note))

struct PaymentView {
  std::string reference;
  std::int64_t dossier_id = 0;
  std::string dossier_code;
  int attempt = 0;
  std::int64_t amount = 0;
  std::string currency;  // "VND"
  std::vector<FeeLine> fees;
  std::string description;
  std::string payer_name;
  std::string procedure_code;
  std::string procedure_name;
  std::string agency_code;
  std::string agency_name;
  Status status = Status::kPending;
  std::string payment_url;
  int init_count = 0;
  std::string gateway_transaction;
  std::string gateway_bank;
  std::string failure_code;
  bool late = false;
  std::string paid_via;
  std::string refund_reason;
  http::Timestamp created_at;
  http::Timestamp updated_at;
  http::Nullable<http::Timestamp> paid_at;
  http::Nullable<http::Timestamp> closed_at;
  http::Nullable<http::Timestamp> refunded_at;
  std::vector<PaymentEvent> events;
};
TINHSO_API_STRUCT(PaymentView,
                  (reference, dossier_id, dossier_code, attempt, amount, currency, fees,
                   description, payer_name, procedure_code, procedure_name, agency_code,
                   agency_name, status, payment_url, init_count, gateway_transaction, gateway_bank,
                   failure_code, late, paid_via, refund_reason, created_at, updated_at, paid_at,
                   closed_at, refunded_at, events))

// POST /api/v1/payments/{reference}/refund
struct RefundInput {
  http::Text<500> reason;
};
TINHSO_API_STRUCT(RefundInput, (reason))

// ---- The platform's callback (messages.hpp), in the platform's own format --------------------

// A text field of the platform's messages, documented with the shape the check of MaXacThuc
// requires (messages.cpp, Fits): no shape lets '|' or a control character through.
template <class Shape>
struct PlatformField {
  std::string value;
};
struct CodeShape {  // codes and identifiers
  static constexpr std::string_view kPattern = "^[A-Za-z0-9._:/-]*$";
  static constexpr std::size_t kMaxLength = 64;
};
struct DigitsShape {  // SoTien, in đồng
  static constexpr std::string_view kPattern = "^[0-9]*$";
  static constexpr std::size_t kMaxLength = 18;
};
struct TimeShape {  // ThoiGianGD: yyyyMMddHHmmss, Vietnam time
  static constexpr std::string_view kPattern = "^([0-9]{14})?$";
  static constexpr std::size_t kMaxLength = 14;
};
struct CurrencyShape {
  static constexpr std::string_view kPattern = "^([A-Z]{3})?$";
  static constexpr std::size_t kMaxLength = 3;
};
struct TextShape {  // free text: no '|', no control character, at most 1000 bytes
  static constexpr std::string_view kPattern = "^[^|]*$";
  static constexpr std::size_t kMaxLength = 1000;
};
struct KindShape {  // LoaiBanTin of a confirmation
  static constexpr std::string_view kPattern = "^CONFIRM$";
  static constexpr std::size_t kMaxLength = 7;
};
struct ChecksumShape {  // MaXacThuc: SHA-256, hex, either case
  static constexpr std::string_view kPattern = "^[0-9A-Fa-f]{64}$";
  static constexpr std::size_t kMaxLength = 64;
};

// POST /api/v1/payments/callback: the platform's confirmation (CONFIRM). The handler reads it
// itself (Service::Callback): a field missing counts as "" in MaXacThuc, a number is taken as
// its decimal text, other members are ignored.
struct CallbackMessage {
  PlatformField<KindShape> LoaiBanTin;
  PlatformField<CodeShape> MaLoi;  // "00": paid; anything else: the payment failed
  PlatformField<CodeShape> MaDoiTac;
  PlatformField<CodeShape> MaThamChieu;  // the payment's reference
  std::optional<PlatformField<DigitsShape>> SoTien;
  std::optional<PlatformField<CurrencyShape>> MaTienTe;
  std::optional<PlatformField<CodeShape>> MaGiaoDich;
  std::optional<PlatformField<CodeShape>> MaNganHang;
  std::optional<PlatformField<TimeShape>> ThoiGianGD;
  std::optional<PlatformField<TextShape>> ThongTinGiaoDich;
  PlatformField<ChecksumShape> MaXacThuc;
};
TINHSO_API_STRUCT(CallbackMessage,
                  (LoaiBanTin, MaLoi, MaDoiTac, MaThamChieu, SoTien, MaTienTe, MaGiaoDich,
                   MaNganHang, ThoiGianGD, ThongTinGiaoDich, MaXacThuc))
inline constexpr std::string_view ApiSchemaDescription(const CallbackMessage*) {
  return "Bản tin xác nhận của Nền tảng thanh toán. MaXacThuc = SHA-256 (hex) của "
         "LoaiBanTin|MaLoi|MaDoiTac|MaThamChieu|SoTien|MaTienTe|MaGiaoDich|MaNganHang|"
         "ThoiGianGD|ThongTinGiaoDich|khóa bí mật; trường thiếu tính là chuỗi rỗng. / The "
         "payment platform's confirmation. MaXacThuc is the hex SHA-256 of those fields joined "
         "with '|', then '|' and the shared secret; a missing field counts as \"\".";
}

// MaLoi of our answer (messages.hpp, kAnswer…).
struct ReplyCode {
  std::string value;
};

// Our answer to a callback, in the platform's format, for every status. A message that passed
// its checks is answered signed (MaDoiTac, MaThamChieu, ThoiGianGD, MaXacThuc); any other gets
// MaLoi and MoTaLoi alone, unsigned: signing it would hand anyone a checksum over values they
// chose.
struct CallbackReply {
  ReplyCode MaLoi;
  std::string MoTaLoi;  // what happened: "paid", "duplicate"…, or the error, in Vietnamese
  std::optional<std::string> MaDoiTac;
  std::optional<std::string> MaThamChieu;
  std::optional<std::string> ThoiGianGD;
  std::optional<PlatformField<ChecksumShape>> MaXacThuc;  // over MaLoi|MaDoiTac|MaThamChieu|…
};
TINHSO_API_STRUCT(CallbackReply, (MaLoi, MoTaLoi, MaDoiTac, MaThamChieu, ThoiGianGD, MaXacThuc))
inline constexpr std::string_view ApiSchemaDescription(const CallbackReply*) {
  return "Trả lời theo định dạng của Nền tảng thanh toán, kể cả khi lỗi. Bản tin đúng được trả "
         "lời có ký: MaXacThuc = SHA-256 (hex) của MaLoi|MaDoiTac|MaThamChieu|ThoiGianGD|khóa bí "
         "mật; bản tin sai chỉ có MaLoi và MoTaLoi, không ký. / The answer in the payment "
         "platform's format, errors included. A message that passed its checks is answered "
         "signed (MaXacThuc over MaLoi|MaDoiTac|MaThamChieu|ThoiGianGD|secret); any other gets "
         "MaLoi and MoTaLoi alone, unsigned.";
}

}  // namespace tinhso::payment

namespace tinhso::http {

template <class Shape>
struct Codec<payment::PlatformField<Shape>> {
  static void Schema(SchemaSet&, boost::json::object& out) {
    out["type"] = "string";
    out["pattern"] = Shape::kPattern;
    out["maxLength"] = Shape::kMaxLength;
  }
  static boost::json::value Write(const payment::PlatformField<Shape>& v) {
    return boost::json::string(v.value);
  }
};

template <>
struct Codec<payment::ReplyCode> {
  static void Schema(SchemaSet&, boost::json::object& out);
  static boost::json::value Write(const payment::ReplyCode& v) {
    return boost::json::string(v.value);
  }
};

}  // namespace tinhso::http
