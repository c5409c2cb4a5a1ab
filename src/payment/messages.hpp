// The payment platform's messages (domain.md §7.2): field names, the MaXacThuc checksum, and
// the JSON they travel in. Module-internal (the service, the routes, the simulator, the tests).
//
// MaXacThuc = lower-case hex SHA-256 of the message's checksum fields joined with '|', followed
// by '|' and the shared secret:  sha256("f1|f2|…|fn|secret").
//
// THE FIELD ORDER IS UNCONFIRMED: domain.md §7.2 lists the fields of each message but no
// official specification of the checksum was available. The orders below follow the field
// order of the messages in domain.md and the one public client seen (domain.md §8,
// HuanVu201/DichVuCong_KhoaLuan_PASETO, DvcPayment). They live in one table, ChecksumFields(),
// so a correction is a one-line change:
//
//   INIT             LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|SoTien|LoaiHinhThanhToan|
//                    MaKenhThanhToan|MaThietBi|NgonNgu|MaTienTe|MaNganHang|ThongTinGiaoDich|
//                    ThoiGianGD|Ip
//   CONFIRM          LoaiBanTin|MaLoi|MaDoiTac|MaThamChieu|SoTien|MaTienTe|MaGiaoDich|
//   (the callback)   MaNganHang|ThoiGianGD|ThongTinGiaoDich
//   QUERY            LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|ThoiGianGD
//
// Not in domain.md at all, so our own choice (the simulator speaks it; adjust when the
// platform's document is available):
//
//   INIT answer      LoaiBanTin|MaLoi|MaDoiTac|MaThamChieu|UrlThanhToan|ThoiGianGD
//   QUERY answer     the CONFIRM fields, then TrangThaiGD ("1" paid, "3" final state not known
//                    yet, "4" failed, as in the public client; MaLoi other than "00" = the
//                    platform holds no completed transaction for the reference)
//   our answer to    MaLoi|MaDoiTac|MaThamChieu|ThoiGianGD, with MoTaLoi (a description)
//   a callback       beside it, not covered. Only a callback that passed CheckMessage gets a
//                    signed answer; any other gets MaLoi and MoTaLoi alone, unsigned, so that
//                    nobody without the secret can obtain a checksum over values they chose.
//
// LoaiBanTin: "INIT" and "QUERY" as in domain.md (their answers carry the same); "CONFIRM" for
// the confirmation is UNCONFIRMED (domain.md names the field, not its value).
//
// A field missing from a message counts as "" in the checksum. No value may contain '|': the
// joined text would then read as other fields, and one message's checksum would stand for
// another's (CheckMessage refuses such messages, the service refuses to send such values).
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "payment/payment.hpp"

namespace tinhso::payment {

using Fields = std::map<std::string, std::string>;

inline constexpr std::string_view kVersion = "1.0.6";  // PhienBan
inline constexpr std::string_view kSuccess = "00";     // MaLoi of a successful payment

// TrangThaiGD in a QUERY answer.
inline constexpr std::string_view kRemotePaid = "1";
inline constexpr std::string_view kRemoteUndecided = "3";
inline constexpr std::string_view kRemoteFailed = "4";

// MaLoi of our answer to a callback (our own codes: the platform's list is not in domain.md).
inline constexpr std::string_view kAnswerAccepted = "00";          // taken into account
inline constexpr std::string_view kAnswerBadChecksum = "01";       // MaXacThuc wrong
inline constexpr std::string_view kAnswerWrongPartner = "02";      // MaDoiTac is not ours
inline constexpr std::string_view kAnswerUnknownReference = "03";  // no such MaThamChieu
inline constexpr std::string_view kAnswerAmountMismatch = "04";    // SoTien/MaTienTe differ
inline constexpr std::string_view kAnswerBadMessage = "05";        // not a valid message
inline constexpr std::string_view kAnswerRetryLater = "99";        // our fault: send it again

enum class MessageKind {
  kInit,
  kInitAnswer,
  kConfirm,
  kConfirmAnswer,
  kQuery,
  kQueryAnswer,
};

// The fields covered by MaXacThuc, in order (see the table above).
std::span<const std::string_view> ChecksumFields(MessageKind kind);
// The LoaiBanTin of a message of this kind; "" for our answer to a callback, which has none.
std::string_view KindName(MessageKind kind);

// "f1|f2|…|fn|secret": the text that is hashed.
std::string ChecksumInput(MessageKind kind, const Fields& fields, std::string_view secret);
// Lower-case hex SHA-256 of ChecksumInput.
std::string Checksum(MessageKind kind, const Fields& fields, std::string_view secret);
// Sets fields["MaXacThuc"].
void Sign(MessageKind kind, Fields& fields, std::string_view secret);
// True when fields["MaXacThuc"] (compared case-insensitively, in constant time) is right.
// Only the digest: a received message is checked with CheckMessage.
bool HasValidChecksum(MessageKind kind, const Fields& fields, std::string_view secret);

// Checks a received message before anything in it is used: its LoaiBanTin is its kind's, every
// field the checksum covers has its expected shape (codes, digits, no '|', no control
// characters), and MaXacThuc is right. Errors: kInvalidArgument "payment.bad_message" (detail
// names the field); kPermissionDenied "payment.bad_checksum".
Result<void> CheckMessage(MessageKind kind, const Fields& fields, std::string_view secret);

// The INIT message for `payment`, signed. `now` is its ThoiGianGD.
Fields BuildInit(const Payment& payment, const GatewayConfig& config, core::Seconds now);
// The INIT message as JSON: the flat fields plus the receipt block ThongTinBienLai (not covered
// by the checksum) and UrlTraVe (the return URL; its name is UNCONFIRMED, not in domain.md).
std::string InitJson(const Fields& init, const Payment& payment, const GatewayConfig& config);

// The QUERY message for `reference`, signed. `transaction_time` is the ThoiGianGD of the INIT
// that started the transaction.
Fields BuildQuery(std::string_view reference, const GatewayConfig& config,
                  core::Seconds transaction_time);

// Our signed answer to a callback that passed CheckMessage (`confirmation`): MaLoi, MoTaLoi,
// MaDoiTac, and the confirmation's MaThamChieu and ThoiGianGD, with MaXacThuc.
Fields BuildConfirmAnswer(std::string_view code, std::string_view description,
                          const Fields& confirmation, const GatewayConfig& config);
// Our answer to a callback that did not pass CheckMessage: MaLoi and MoTaLoi only, unsigned.
Fields BuildRefusal(std::string_view code, std::string_view description);

// A flat JSON object of strings.
std::string ToJson(const Fields& fields);
// The top-level scalar members of a JSON object as text (integers in decimal; nested objects
// and arrays are skipped: no checksum covers them). Errors: kInvalidArgument
// "payment.bad_message".
Result<Fields> FieldsFromJson(std::string_view body);

// The value of `name`, or "".
std::string_view Field(const Fields& fields, std::string_view name);

}  // namespace tinhso::payment
