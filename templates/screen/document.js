// A Word document (.docx) made in the browser, with nothing fetched: Office Open XML in a zip. The
// workbook gives it paragraphs, each { style, runs }, a style of Title, Heading1 to Heading3 or
// Normal, and a run { text, bold, link }: Word shows the headings in its navigation pane, and a
// screen reader reads them as headings.
var pathwayDocument = (function () {
  "use strict";

  var TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  var MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  var RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  var PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships";
  var HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

  // Text as XML holds it: without the control characters XML 1.0 cannot hold.
  function escape(text) {
    return String(text).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\u0022/g, "&quot;");
  }

  function textRun(run) {
    // In the order Word's schema gives them: a style before bold.
    var properties = (run.link ? '<w:rStyle w:val="Hyperlink"/>' : "") + (run.bold ? "<w:b/>" : "");
    var lines = String(run.text).replace(/\r\n?/g, "\n").split("\n").map(function (line) {
      return '<w:t xml:space="preserve">' + escape(line) + "</w:t>";
    });
    return "<w:r>" + (properties ? "<w:rPr>" + properties + "</w:rPr>" : "") + lines.join("<w:br/>") + "</w:r>";
  }

  function body(paragraphs, links) {
    return paragraphs.map(function (paragraph) {
      var runs = paragraph.runs.map(function (run) {
        if (!run.link) { return textRun(run); }
        links.push(run.link);
        return '<w:hyperlink r:id="link' + links.length + '">' + textRun(run) + "</w:hyperlink>";
      }).join("");
      var style = paragraph.style && paragraph.style !== "Normal" ? '<w:pPr><w:pStyle w:val="' + paragraph.style +
        '"/></w:pPr>' : "";
      return "<w:p>" + style + runs + "</w:p>";
    }).join("");
  }

  function heading(id, name, level, size) {
    return '<w:style w:type="paragraph" w:styleId="' + id + '"><w:name w:val="' + name + '"/>' +
      '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/>' +
      '<w:spacing w:before="' + (level === null ? 0 : 320) + '" w:after="120"/>' +
      (level === null ? "" : '<w:outlineLvl w:val="' + level + '"/>') + "</w:pPr>" +
      '<w:rPr><w:b/><w:color w:val="' + (level === null ? "003087" : "005EB8") + '"/><w:sz w:val="' + size +
      '"/><w:szCs w:val="' + size + '"/></w:rPr></w:style>';
  }

  function styles(language) {
    return HEAD + '<w:styles xmlns:w="' + MAIN + '"><w:docDefaults><w:rPrDefault><w:rPr>' +
      '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/><w:sz w:val="24"/>' +
      '<w:szCs w:val="24"/><w:lang w:val="' + escape(language) + '"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>' +
      '<w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>' +
      '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
      heading("Title", "Title", null, 44) + heading("Heading1", "heading 1", 0, 34) +
      heading("Heading2", "heading 2", 1, 28) + heading("Heading3", "heading 3", 2, 24) +
      '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr>' +
      '<w:color w:val="005EB8"/><w:u w:val="single"/></w:rPr></w:style></w:styles>';
  }

  function parts(document) {
    var links = [];
    var main = HEAD + '<w:document xmlns:w="' + MAIN + '" xmlns:r="' + RELATIONSHIPS + '"><w:body>' +
      body(document.paragraphs, links) +
      '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" ' +
      'w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>';
    var related = links.map(function (link, index) {
      return '<Relationship Id="link' + (index + 1) + '" Type="' + RELATIONSHIPS + '/hyperlink" Target="' +
        escape(link) + '" TargetMode="External"/>';
    }).join("");
    return [
      ["[Content_Types].xml", HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="' + TYPE + '.main+xml"/>' +
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.' +
        'wordprocessingml.styles+xml"/>' +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.' +
        'core-properties+xml"/></Types>'],
      ["_rels/.rels", HEAD + '<Relationships xmlns="' + PACKAGE + '">' +
        '<Relationship Id="main" Type="' + RELATIONSHIPS + '/officeDocument" Target="word/document.xml"/>' +
        '<Relationship Id="core" Type="' + PACKAGE + '/metadata/core-properties" Target="docProps/core.xml"/>' +
        "</Relationships>"],
      ["word/_rels/document.xml.rels", HEAD + '<Relationships xmlns="' + PACKAGE + '">' +
        '<Relationship Id="styles" Type="' + RELATIONSHIPS + '/styles" Target="styles.xml"/>' + related +
        "</Relationships>"],
      ["word/document.xml", main],
      ["word/styles.xml", styles(document.language)],
      ["docProps/core.xml", HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/' +
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/' +
        'terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>' + escape(document.title) +
        "</dc:title><dc:language>" + escape(document.language) + '</dc:language><dcterms:created xsi:type="dcterms:' +
        'W3CDTF">' + new Date().toISOString().replace(/\.\d+Z$/, "Z") + "</dcterms:created></cp:coreProperties>"]
    ];
  }

  // --- the zip: stored, not compressed (a few kilobytes of text), with names in UTF-8 ---

  var TABLE = (function () {
    var table = [];
    for (var number = 0; number < 256; number += 1) {
      var value = number;
      for (var bit = 0; bit < 8; bit += 1) { value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1; }
      table.push(value >>> 0);
    }
    return table;
  }());

  function crc32(bytes) {
    var value = 0xffffffff;
    for (var index = 0; index < bytes.length; index += 1) {
      value = TABLE[(value ^ bytes[index]) & 0xff] ^ (value >>> 8);
    }
    return (value ^ 0xffffffff) >>> 0;
  }

  var DOS_DATE = 33;  // 1 January 1980: a document's bytes do not depend on the hour it was zipped

  function zip(files) {
    var encoder = new TextEncoder();
    var pieces = [], directory = [], offset = 0;
    files.forEach(function (file) {
      var name = encoder.encode(file[0]), data = encoder.encode(file[1]), crc = crc32(data);
      var local = new DataView(new ArrayBuffer(30));
      [[0, 0x04034b50, 4], [4, 20, 2], [6, 0x0800, 2], [8, 0, 2], [10, 0, 2], [12, DOS_DATE, 2], [14, crc, 4],
       [18, data.length, 4], [22, data.length, 4], [26, name.length, 2], [28, 0, 2]].forEach(function (field) {
        if (field[2] === 4) { local.setUint32(field[0], field[1], true); } else { local.setUint16(field[0], field[1], true); }
      });
      var entry = new DataView(new ArrayBuffer(46));
      [[0, 0x02014b50, 4], [4, 20, 2], [6, 20, 2], [8, 0x0800, 2], [10, 0, 2], [12, 0, 2], [14, DOS_DATE, 2],
       [16, crc, 4], [20, data.length, 4], [24, data.length, 4], [28, name.length, 2], [30, 0, 2], [32, 0, 2],
       [34, 0, 2], [36, 0, 2], [38, 0, 4], [42, offset, 4]].forEach(function (field) {
        if (field[2] === 4) { entry.setUint32(field[0], field[1], true); } else { entry.setUint16(field[0], field[1], true); }
      });
      pieces.push(new Uint8Array(local.buffer), name, data);
      directory.push(new Uint8Array(entry.buffer), name);
      offset += 30 + name.length + data.length;
    });
    var size = directory.reduce(function (total, piece) { return total + piece.length; }, 0);
    var end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, files.length, true);
    end.setUint16(10, files.length, true);
    end.setUint32(12, size, true);
    end.setUint32(16, offset, true);
    return new Blob(pieces.concat(directory, [new Uint8Array(end.buffer)]), { type: TYPE });
  }

  return {
    // { title, language, paragraphs } -> a Blob of the .docx
    docx: function (document) { return zip(parts(document)); }
  };
}());
