"""workbook-scorm12.zip: the HTML workbook as one SCORM 1.2 SCO, for the NHS Learning Hub, Moodle, Totara
and every platform that takes SCORM 1.2.

The package is the workbook (index.html), with the script that finds the platform's API and keeps
the learner's answers there (templates/screen/platform.js), and imsmanifest.xml, which names the
pathway and lists every file. Its identifier is made of the pathway's id and version, so that a
platform knows a package built again as the same one.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from ..errors import short
from ..output.write import Document
from ..sequence import Programme
from .archive import zipped
from .format import Format, Job

# What imscp_rootv1p1p2.xsd allows: a title of 200 characters, a version of 20.
TITLE_MOST, VERSION_MOST = 200, 20
_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]")  # an identifier is an XML name: these characters and no others
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


class ScormPackage(Format):
    option = "scorm"
    help = "workbook-scorm12.zip, a SCORM 1.2 package for a learning platform"

    def files(self, job: Job) -> list[str]:
        return ["workbook-scorm12.zip"]

    def make(self, job: Job) -> list[Document]:
        (name,) = self.files(job)
        files = {"index.html": job.screen_html(platform=True).encode()}
        # The manifest first, where a platform looks for it; it lists every other file.
        return [Document(name, zipped({"imsmanifest.xml": manifest(job.programme, list(files)).encode(), **files}))]


def identifier(programme: Programme) -> str:
    pathway = programme.pathway
    return "pathway-builder." + pathway.id + (f".{_NOT_NAME.sub('_', pathway.version)}" if pathway.version else "")


def manifest(programme: Programme, files: list[str]) -> str:
    pathway = programme.pathway
    title = escape(_at_most(pathway.title, TITLE_MOST))
    version = f" version={quoteattr(_at_most(pathway.version, VERSION_MOST))}" if pathway.version else ""
    listed = "\n".join(f"      <file href={quoteattr(name)}/>" for name in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr(identifier(programme))}{version}
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd
                        http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="pathway">
    <organization identifier="pathway">
      <title>{title}</title>
      <item identifier="workbook-item" identifierref="workbook" isvisible="true">
        <title>{title}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="workbook" type="webcontent" adlcp:scormtype="sco" href="index.html">
{listed}
    </resource>
  </resources>
</manifest>
"""


def _at_most(text: str, most: int) -> str:
    return short(_NOT_XML.sub(" ", text), most)


FORMAT = ScormPackage()
