#include "pdf/writer.hpp"

#include <algorithm>
#include <cstdio>

#include "core/crypto.hpp"
#include "pdf/errors.hpp"
#include "pdf/filters.hpp"

namespace tinhso::pdf::internal {

UpdateWriter::UpdateWriter(const Document& document)
    : document_(document), out_(document.data()), next_(document.next_object_number()) {
  // The update starts on a line of its own.
  if (!out_.empty() && out_.back() != '\n' && out_.back() != '\r') {
    out_ += '\n';
  }
}

Ref UpdateWriter::Allocate() { return Ref{next_++, 0}; }

void UpdateWriter::BeginObject(Ref ref) {
  offsets_.emplace_back(ref, out_.size());
  out_ += std::to_string(ref.num) + ' ' + std::to_string(ref.gen) + " obj\n";
}

void UpdateWriter::EndObject() { out_ += "\nendobj\n"; }

Result<void> UpdateWriter::WriteObject(Ref ref, const Object& object) {
  BeginObject(ref);
  TINHSO_RETURN_IF_ERROR(Serialize(object, out_));
  EndObject();
  return Ok();
}

void UpdateWriter::WriteStream(Ref ref, std::string_view dict_entries, std::string_view data) {
  BeginObject(ref);
  out_ += "<< ";
  out_ += dict_entries;
  out_ += " /Length " + std::to_string(data.size()) + " >>\nstream\n";
  out_ += data;
  out_ += "\nendstream";
  EndObject();
}

Result<void> UpdateWriter::WriteTrailerEntries(std::string& out, std::uint32_t size) const {
  out += "/Size " + std::to_string(size);
  for (const char* key : {"Root", "Info"}) {
    if (const Object* value = document_.TrailerValue(key)) {
      out += " /";
      out += key;
      out += ' ';
      TINHSO_RETURN_IF_ERROR(Serialize(*value, out));
    }
  }
  if (const Object* id = document_.TrailerValue("ID")) {
    out += " /ID ";
    TINHSO_RETURN_IF_ERROR(Serialize(*id, out));
  } else {
    // §14.4: an identifier is expected of files with signatures; derive one from the content.
    const std::string hex = core::Sha256Hex(document_.data()).substr(0, 32);
    out += " /ID [<" + hex + "> <" + hex + ">]";
  }
  out += " /Prev " + std::to_string(document_.sections().front().offset);
  return Ok();
}

Result<std::string> UpdateWriter::Finish() {
  const bool as_stream = document_.sections().front().is_stream;
  Ref xref_ref;
  if (as_stream) {
    xref_ref = Allocate();
  }
  const std::uint32_t size = std::max(next_, document_.next_object_number());
  std::vector<std::pair<Ref, std::size_t>> sorted = offsets_;
  const std::size_t xref_offset = out_.size();
  if (as_stream) {
    sorted.emplace_back(xref_ref, xref_offset);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first.num < b.first.num; });
  // One object twice in one update would leave the first copy unreachable, a trap for readers.
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].first.num == sorted[i - 1].first.num) {
      return Malformed("object " + std::to_string(sorted[i].first.num) +
                       " would be written twice (the file uses one object for two roles)");
    }
  }
  // Runs of consecutive object numbers.
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // [begin, end) in sorted
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (runs.empty() || sorted[i].first.num != sorted[i - 1].first.num + 1) {
      runs.emplace_back(i, i + 1);
    } else {
      runs.back().second = i + 1;
    }
  }
  if (!as_stream) {
    out_ += "xref\n0 1\n0000000000 65535 f\r\n";
    for (const auto& [begin, end] : runs) {
      out_ += std::to_string(sorted[begin].first.num) + ' ' + std::to_string(end - begin) + '\n';
      for (std::size_t i = begin; i < end; ++i) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu %05u n\r\n", sorted[i].second,
                      sorted[i].first.gen);
        out_ += line;
      }
    }
    out_ += "trailer\n<< ";
    TINHSO_RETURN_IF_ERROR(WriteTrailerEntries(out_, size));
    out_ += " >>\n";
  } else {
    int offset_width = 1;
    while (offset_width < 8 && (xref_offset >> (8 * offset_width)) != 0) {
      ++offset_width;
    }
    std::string rows;
    for (const auto& [ref, offset] : sorted) {
      rows += '\x01';
      for (int i = offset_width - 1; i >= 0; --i) {
        rows += static_cast<char>((offset >> (8 * i)) & 0xff);
      }
      rows += static_cast<char>(ref.gen >> 8);
      rows += static_cast<char>(ref.gen & 0xff);
    }
    std::string dict = "/Type /XRef /W [1 " + std::to_string(offset_width) + " 2] /Index [";
    for (std::size_t r = 0; r < runs.size(); ++r) {
      dict += (r == 0 ? "" : " ") + std::to_string(sorted[runs[r].first].first.num) + ' ' +
              std::to_string(runs[r].second - runs[r].first);
    }
    dict += "] ";
    TINHSO_RETURN_IF_ERROR(WriteTrailerEntries(dict, size));
    dict += " /Filter /FlateDecode";
    WriteStream(xref_ref, dict, Deflate(rows));
  }
  out_ += "startxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
  return std::move(out_);
}

}  // namespace tinhso::pdf::internal
