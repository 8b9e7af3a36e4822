package tongbiao;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xmlbeans.SchemaTypeLoader;
import org.apache.xmlbeans.XmlBeans;
import org.apache.xmlbeans.XmlError;
import org.apache.xmlbeans.XmlObject;
import org.apache.xmlbeans.XmlOptions;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Validates every XML part of the given OOXML packages against the ECMA-376 transitional schemas compiled
 * into Apache POI's poi-ooxml-full (XMLBeans). Markup compatibility (ECMA-376 Part 3) is applied first:
 * elements and attributes of namespaces listed in mc:Ignorable are removed, mc:AlternateContent is replaced
 * by its mc:Fallback (or dropped), and the mc:Ignorable attribute itself goes.
 *
 * Output, one line per finding: {@code ERROR <file>\t<part>:<line>:<column>\t<message>}, then
 * {@code OK <file> <parts>} or {@code FAIL <file> <errors>} per package. Exit status 1 when any error.
 */
public final class OoxmlValidate {
  private static final String MC = "http://schemas.openxmlformats.org/markup-compatibility/2006";
  private static final String XMLNS = "http://www.w3.org/2000/xmlns/";

  public static void main(String[] args) throws Exception {
    SchemaTypeLoader loader = XmlBeans.typeLoaderUnion(
        org.openxmlformats.schemas.wordprocessingml.x2006.main.DocumentDocument.type.getTypeSystem(),
        org.openxmlformats.schemas.officeDocument.x2006.extendedProperties.PropertiesDocument.type.getTypeSystem(),
        org.openxmlformats.schemas.xpackage.x2006.relationships.RelationshipsDocument.type.getTypeSystem(),
        org.openxmlformats.schemas.drawingml.x2006.main.ThemeDocument.type.getTypeSystem(),
        XmlBeans.getContextTypeLoader());
    int total = 0;
    for (String file : args) {
      int errors = 0;
      int parts = 0;
      try (ZipFile zip = new ZipFile(new File(file))) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
          ZipEntry entry = entries.nextElement();
          String name = entry.getName();
          if (entry.isDirectory() || !(name.endsWith(".xml") || name.endsWith(".rels"))) continue;
          parts++;
          byte[] bytes;
          try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readAllBytes();
          }
          List<String> found;
          try {
            found = validatePart(loader, bytes);
          } catch (Exception e) {
            found = List.of("0:0\t" + e);
          }
          for (String message : found) {
            errors++;
            System.out.println("ERROR " + file + "\t" + name + ":" + message);
          }
        }
      } catch (Exception e) {
        errors++;
        System.out.println("ERROR " + file + "\t(package):0:0\t" + e);
      }
      total += errors;
      System.out.println((errors == 0 ? "OK " : "FAIL ") + file + " " + (errors == 0 ? parts : errors));
    }
    System.exit(total == 0 ? 0 : 1);
  }

  private static List<String> validatePart(SchemaTypeLoader loader, byte[] bytes) throws Exception {
    List<String> out = new ArrayList<>();
    // Line numbers refer to the part as stored: errors of well-formedness come from the original bytes.
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document dom;
    try {
      dom = dbf.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    } catch (Exception e) {
      out.add("0:0\tnot well-formed: " + e.getMessage());
      return out;
    }
    String rootNs = dom.getDocumentElement().getNamespaceURI();
    if (OPC_SCHEMAS.containsKey(rootNs)) return validateOpc(OPC_SCHEMAS.get(rootNs), bytes);
    boolean changed = applyMarkupCompatibility(dom.getDocumentElement(), new HashSet<>());
    byte[] input = bytes;
    if (changed) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      var t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      t.transform(new DOMSource(dom), new StreamResult(buf));
      input = buf.toByteArray();
    }
    XmlOptions options = new XmlOptions();
    options.setLoadLineNumbers();
    options.setLoadLineNumbersEndElement();
    List<XmlError> errors = new ArrayList<>();
    options.setErrorListener(errors);
    XmlObject obj;
    try {
      obj = loader.parse(new ByteArrayInputStream(input), null, options);
    } catch (Exception e) {
      out.add("0:0\t" + e.getMessage());
      return out;
    }
    if (obj.schemaType() == XmlObject.type || obj.schemaType().isNoType()) {
      Element root = dom.getDocumentElement();
      out.add("1:1\tno schema for root element {" + root.getNamespaceURI() + "}" + root.getLocalName());
      return out;
    }
    obj.validate(options);
    for (XmlError e : errors) {
      if (e.getSeverity() != XmlError.SEVERITY_ERROR) continue;
      String where = e.getLine() + ":" + e.getColumn();
      if (changed) where = where + " (after mc processing)";
      out.add(where + "\t" + e.getMessage());
    }
    return out;
  }

  /** The OPC package parts (ECMA-376 Part 2) poi-ooxml-full has no XMLBeans types for: JAXP and the transcribed XSDs. */
  private static final java.util.Map<String, String> OPC_SCHEMAS = java.util.Map.of(
      "http://schemas.openxmlformats.org/package/2006/content-types", "/opc/opc-contentTypes.xsd",
      "http://schemas.openxmlformats.org/package/2006/metadata/core-properties", "/opc/opc-coreProperties.xsd");
  private static final java.util.Map<String, javax.xml.validation.Schema> COMPILED = new java.util.HashMap<>();

  private static List<String> validateOpc(String resource, byte[] bytes) throws Exception {
    javax.xml.validation.Schema schema = COMPILED.get(resource);
    if (schema == null) {
      var factory = javax.xml.validation.SchemaFactory.newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI);
      var url = OoxmlValidate.class.getResource(resource);
      schema = factory.newSchema(url);
      COMPILED.put(resource, schema);
    }
    List<String> out = new ArrayList<>();
    var validator = schema.newValidator();
    validator.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
      @Override public void error(org.xml.sax.SAXParseException e) { out.add(e.getLineNumber() + ":" + e.getColumnNumber() + "\t" + e.getMessage()); }
      @Override public void fatalError(org.xml.sax.SAXParseException e) { error(e); }
    });
    validator.validate(new javax.xml.transform.stream.StreamSource(new ByteArrayInputStream(bytes)));
    return out;
  }

  /** ECMA-376 Part 3 processing for a consumer that understands only the transitional namespaces. */
  private static boolean applyMarkupCompatibility(Element el, Set<String> inheritedIgnorable) {
    boolean changed = false;
    Set<String> ignorable = new HashSet<>(inheritedIgnorable);
    String list = el.getAttributeNS(MC, "Ignorable");
    if (!list.isEmpty()) {
      for (String prefix : list.trim().split("\\s+")) {
        String ns = el.lookupNamespaceURI(prefix);
        if (ns != null) ignorable.add(ns);
      }
      el.removeAttributeNS(MC, "Ignorable");
      changed = true;
    }
    NamedNodeMap attrs = el.getAttributes();
    for (int i = attrs.getLength() - 1; i >= 0; i--) {
      Attr a = (Attr) attrs.item(i);
      String ns = a.getNamespaceURI();
      if (ns == null || XMLNS.equals(ns)) continue;
      if (ignorable.contains(ns) || MC.equals(ns)) {
        el.removeAttributeNode(a);
        changed = true;
      }
    }
    Node child = el.getFirstChild();
    while (child != null) {
      Node next = child.getNextSibling();
      if (child instanceof Element c) {
        String ns = c.getNamespaceURI();
        if (MC.equals(ns) && "AlternateContent".equals(c.getLocalName())) {
          Element fallback = null;
          for (Node n = c.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element f && MC.equals(f.getNamespaceURI()) && "Fallback".equals(f.getLocalName())) fallback = f;
          }
          if (fallback != null) {
            Node first = null;
            while (fallback.getFirstChild() != null) {
              Node moved = fallback.getFirstChild();
              if (first == null) first = moved;
              el.insertBefore(moved, c);
            }
            el.removeChild(c);
            next = first != null ? first : next;
          } else {
            el.removeChild(c);
          }
          changed = true;
        } else if (ns != null && ignorable.contains(ns)) {
          el.removeChild(c);
          changed = true;
        } else if (applyMarkupCompatibility(c, ignorable)) {
          changed = true;
        }
      }
      child = next;
    }
    return changed;
  }
}
