use super::*;
use crate::xml::line_column;

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// The seed import: vegetable seeds from the Netherlands, by sea into Shanghai Yangshan.
const SEED_IMPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a broker's declaration software -->
<DecMessage version="1.0" xmlns="http://www.chinaport.gov.cn/dec">
  <DecHead>
    <SeqNo></SeqNo>
    <EntryId/>
    <IEFlag>I</IEFlag>
    <Type>  </Type>
    <CustomMaster>2249</CustomMaster>
    <IEPort>2249</IEPort>
    <IEDate>20260310</IEDate>
    <DDate>20260311</DDate>
    <TradeCode>3205960001</TradeCode>
    <TradeName>苏州绿野种业有限公司</TradeName>
    <OwnerCode>3205960001</OwnerCode>
    <AgentCode>3122480123</AgentCode>
    <AgentName>上海通关代理有限公司</AgentName>
    <TrafMode>2</TrafMode>
    <TrafName>MAERSK ESSEN</TrafName>
    <VoyNo>026E</VoyNo>
    <BillNo>MAEU123456789</BillNo>
    <ManifestNo>  </ManifestNo>
    <TradeMode>0110</TradeMode>
    <CutMode>101</CutMode>
    <TradeCountry>NLD</TradeCountry>
    <DistinatePort>CHN331</DistinatePort>
    <TransMode>1</TransMode>
    <PackNo>20</PackNo>
    <WrapType>22</WrapType>
    <GrossWet>1250.5</GrossWet>
    <NetWt>1200</NetWt>
    <NoteS>  蔬菜种子 vegetable seeds &amp; samples  </NoteS>
    <DeclTrnRel>0</DeclTrnRel>
    <DeclareMode>advance</DeclareMode>
  </DecHead>
  <DecLists>
    <DecList>
      <ClassMark/>
      <GNo>1</GNo>
      <CodeTS>1209913000</CodeTS>
      <ContrItem/>
      <GName>番茄种子</GName>
      <GModel>种植用|F1代|Solanum lycopersicum</GModel>
      <GQty>100</GQty>
      <GUnit>035</GUnit>
      <FirstQty>100</FirstQty>
      <FirstUnit>035</FirstUnit>
      <DeclPrice>12.5</DeclPrice>
      <DeclTotal>1250</DeclTotal>
      <TradeCurr>USD</TradeCurr>
      <OriginCountry>NLD</OriginCountry>
      <DestinationCountry>CHN</DestinationCountry>
      <DutyMode>1</DutyMode>
    </DecList>
    <DecList>
      <GNo>2</GNo>
      <CodeTS>1209913000</CodeTS>
      <GName>黄瓜种子</GName>
      <GModel>种植用|Cucumis sativus</GModel>
      <GQty>20</GQty>
      <GUnit>035</GUnit>
      <DeclPrice>15</DeclPrice>
      <DeclTotal>300</DeclTotal>
      <TradeCurr>USD</TradeCurr>
      <OriginCountry>NLD</OriginCountry>
      <DestinationCountry>CHN</DestinationCountry>
    </DecList>
  </DecLists>
  <DecContainers>
    <Container>
      <ContainerId>MSKU1234565</ContainerId>
      <ContainerMd>22G1</ContainerMd>
      <GoodsNo>1,2</GoodsNo>
      <LclFlag>0</LclFlag>
    </Container>
  </DecContainers>
  <DecLicenseDocus>
    <LicenseDocu>
      <DocuCode>A</DocuCode>
      <CertCode>322020260001234</CertCode>
    </LicenseDocu>
  </DecLicenseDocus>
  <DecFreeTxt>
    <CusFie>YT01</CusFie>
    <VoyNo>IGNORED-HEAD-HAS-ONE</VoyNo>
    <BonNo></BonNo>
  </DecFreeTxt>
  <DecSign>
    <OperType>G</OperType>
    <ICCode>8930000012345</ICCode>
    <CopCode>312248012</CopCode>
    <OperName>张三</OperName>
    <ClientSeqNo>CLT20260311000001</ClientSeqNo>
    <Sign><![CDATA[MIIB...base64...==]]></Sign>
    <SignDate>20260311093000</SignDate>
    <Certificate>01a2b3</Certificate>
    <HostId>host-1</HostId>
  </DecSign>
</DecMessage>
"#;

fn seed_draft() -> DeclarationDraft {
    DeclarationDraft {
        head: HeadDraft {
            ie_flag: s("I"),
            mode: s("advance"),
            customs_master: s("2249"),
            ie_port: s("2249"),
            ie_date: s("2026-03-10"),
            trade_code: s("3205960001"),
            owner_code: s("3205960001"),
            agent_code: s("3122480123"),
            traf_mode: s("2"),
            traf_name: s("MAERSK ESSEN"),
            voyage_no: s("026E"),
            bill_no: s("MAEU123456789"),
            manifest_no: None,
            trade_mode: s("0110"),
            trade_country: s("NLD"),
            trans_mode: s("1"),
            pack_no: s("20"),
            gross_wt: s("1250.5"),
            net_wt: s("1200"),
            site_code: s("YT01"),
            note: s("蔬菜种子 vegetable seeds & samples"),
            priority: None,
            priority_reason: None,
        },
        items: vec![
            ItemDraft {
                g_no: s("1"),
                code_ts: s("1209913000"),
                g_name: s("番茄种子"),
                g_model: s("种植用|F1代|Solanum lycopersicum"),
                g_qty: s("100"),
                g_unit: s("035"),
                decl_price: s("12.5"),
                decl_total: s("1250"),
                trade_curr: s("USD"),
                origin_country: s("NLD"),
                destination_country: s("CHN"),
            },
            ItemDraft {
                g_no: s("2"),
                code_ts: s("1209913000"),
                g_name: s("黄瓜种子"),
                g_model: s("种植用|Cucumis sativus"),
                g_qty: s("20"),
                g_unit: s("035"),
                decl_price: s("15"),
                decl_total: s("300"),
                trade_curr: s("USD"),
                origin_country: s("NLD"),
                destination_country: s("CHN"),
            },
        ],
        containers: vec![ContainerDraft { container_id: s("MSKU1234565"), container_md: s("22G1") }],
        licences: vec![LicenceDraft { docu_code: s("A"), cert_code: s("322020260001234") }],
    }
}

fn parse(xml: &str) -> Result<DeclarationDraft, XmlError> {
    parse_dec_message(xml.as_bytes())
}

fn malformed(xml: &str) -> (usize, usize, String) {
    match parse(xml) {
        Err(XmlError::Malformed { line, column, message }) => (line, column, message),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

/// A minimal valid message with `head` as the DecHead content and `rest` after it.
fn minimal(head: &str, rest: &str) -> String {
    format!("<DecMessage><DecHead>{head}</DecHead>{rest}</DecMessage>")
}

// --- reading ---------------------------------------------------------------------------

#[test]
fn seed_import_parses_to_expected_draft() {
    assert_eq!(parse(SEED_IMPORT).unwrap(), seed_draft());
}

#[test]
fn ie_date_is_converted_to_iso() {
    let d = parse(&minimal("<IEDate>20260310</IEDate>", "")).unwrap();
    assert_eq!(d.head.ie_date.as_deref(), Some("2026-03-10"));
    let d = parse(&minimal("<IEDate> 20260310\n</IEDate>", "")).unwrap();
    assert_eq!(d.head.ie_date.as_deref(), Some("2026-03-10"));
}

#[test]
fn ie_date_that_is_not_eight_digits_passes_through() {
    for raw in ["2026-03-10", "2026031", "202603100", "2026031X", "２０２６０３１０"] {
        let d = parse(&minimal(&format!("<IEDate>{raw}</IEDate>"), "")).unwrap();
        assert_eq!(d.head.ie_date.as_deref(), Some(raw), "{raw}");
    }
    let d = parse(&minimal("<IEDate></IEDate>", "")).unwrap();
    assert_eq!(d.head.ie_date, None);
}

#[test]
fn empty_and_blank_elements_are_none_and_text_is_trimmed() {
    let d = parse(&minimal(
        "<IEFlag/><TradeCode>  </TradeCode><BillNo>\n\t</BillNo><TrafName>  EVER GIVEN \n</TrafName>",
        "<DecLists><DecList><GName>  a  b  </GName><GQty></GQty></DecList></DecLists>",
    ))
    .unwrap();
    assert_eq!(d.head.ie_flag, None);
    assert_eq!(d.head.trade_code, None);
    assert_eq!(d.head.bill_no, None);
    assert_eq!(d.head.traf_name.as_deref(), Some("EVER GIVEN"));
    assert_eq!(d.items.len(), 1);
    assert_eq!(d.items[0].g_name.as_deref(), Some("a  b"));
    assert_eq!(d.items[0].g_qty, None);
}

#[test]
fn minimal_message_gives_empty_draft() {
    assert_eq!(parse("<DecMessage><DecHead/></DecMessage>").unwrap(), DeclarationDraft::default());
}

#[test]
fn unknown_elements_are_ignored_everywhere() {
    let xml = minimal(
        "<Future><IEFlag>E</IEFlag><Deep><Deeper>x</Deeper></Deep></Future>\
         <IEFlag>I</IEFlag><Extra attr=\"1\"/>",
        "<DecLists><Comment>n/a</Comment>\
           <DecList><GNo>1</GNo><Unknown><GNo>9</GNo></Unknown><NewField>v</NewField></DecList>\
         </DecLists>\
         <DecOtherPacks><DecOtherPack><PackType>22</PackType></DecOtherPack></DecOtherPacks>\
         <DecList><GNo>99</GNo></DecList>\
         <DecContainers><Container><ContainerId>C1</ContainerId><Seal>S</Seal></Container>\
           <NotAContainer><ContainerId>C2</ContainerId></NotAContainer></DecContainers>\
         <DecRequestCerts><DecRequestCert><AppCertCode>01</AppCertCode></DecRequestCert></DecRequestCerts>\
         <EdocRealation><EdocID>x</EdocID></EdocRealation>",
    );
    let d = parse(&xml).unwrap();
    assert_eq!(d.head.ie_flag.as_deref(), Some("I"));
    assert_eq!(d.items.len(), 1);
    assert_eq!(d.items[0].g_no.as_deref(), Some("1"));
    assert_eq!(d.containers.len(), 1);
    assert_eq!(d.containers[0].container_id.as_deref(), Some("C1"));
    assert!(d.licences.is_empty());
}

#[test]
fn first_occurrence_wins_for_repeated_fields() {
    let d = parse(&minimal("<IEFlag>I</IEFlag><IEFlag>E</IEFlag>", "")).unwrap();
    assert_eq!(d.head.ie_flag.as_deref(), Some("I"));
}

#[test]
fn repeated_list_wrappers_are_all_read() {
    let d = parse(&minimal(
        "",
        "<DecLists><DecList><GNo>1</GNo></DecList></DecLists>\
         <DecLists><DecList><GNo>2</GNo></DecList></DecLists>",
    ))
    .unwrap();
    let nos: Vec<_> = d.items.iter().map(|i| i.g_no.as_deref()).collect();
    assert_eq!(nos, [Some("1"), Some("2")]);
}

#[test]
fn voyage_falls_back_to_free_text() {
    let d = parse(&minimal("<VoyNo> </VoyNo>", "<DecFreeTxt><VoyNo>118W</VoyNo><CusFie>2249A1</CusFie></DecFreeTxt>")).unwrap();
    assert_eq!(d.head.voyage_no.as_deref(), Some("118W"));
    assert_eq!(d.head.site_code.as_deref(), Some("2249A1"));
}

#[test]
fn prefixed_namespace_form_is_accepted() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<dec:DecMessage xmlns:dec="http://www.chinaport.gov.cn/dec" version="1.0">
  <dec:DecHead><dec:IEFlag>E</dec:IEFlag><dec:IEDate>20260401</dec:IEDate></dec:DecHead>
  <dec:DecLists><dec:DecList><dec:GNo>1</dec:GNo></dec:DecList></dec:DecLists>
</dec:DecMessage>"#;
    let d = parse(xml).unwrap();
    assert_eq!(d.head.ie_flag.as_deref(), Some("E"));
    assert_eq!(d.head.ie_date.as_deref(), Some("2026-04-01"));
    assert_eq!(d.items[0].g_no.as_deref(), Some("1"));
}

#[test]
fn no_namespace_and_default_namespace_forms_read_the_same() {
    let plain = parse("<DecMessage><DecHead><IEFlag>I</IEFlag></DecHead></DecMessage>").unwrap();
    let ns = parse(
        "<DecMessage xmlns=\"http://www.chinaport.gov.cn/dec\" version=\"1.0\">\
         <DecHead><IEFlag>I</IEFlag></DecHead></DecMessage>",
    )
    .unwrap();
    assert_eq!(plain, ns);
}

#[test]
fn entities_character_references_and_cdata_are_decoded() {
    let d = parse(&minimal(
        "<TrafName>A &amp; B &lt;1&gt; &quot;x&quot; &apos;y&apos; &#x4E2D;&#22269;</TrafName>\
         <NoteS><![CDATA[ <raw> & stuff ]]></NoteS>\
         <BillNo>AB<!-- split -->CD</BillNo>",
        "",
    ))
    .unwrap();
    assert_eq!(d.head.traf_name.as_deref(), Some("A & B <1> \"x\" 'y' 中国"));
    assert_eq!(d.head.note.as_deref(), Some("<raw> & stuff"));
    assert_eq!(d.head.bill_no.as_deref(), Some("ABCD"));
}

#[test]
fn byte_order_mark_is_accepted() {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(SEED_IMPORT.as_bytes());
    assert_eq!(parse_dec_message(&bytes).unwrap(), seed_draft());
}

#[test]
fn nesting_up_to_the_limit_is_accepted_and_beyond_is_refused() {
    // Root + DecHead + n unknown levels.
    let nested = |n: usize| minimal(&format!("{}{}", "<X>".repeat(n), "</X>".repeat(n)), "");
    assert!(parse(&nested(MAX_DEPTH - 2)).is_ok());
    let (line, _, message) = malformed(&nested(MAX_DEPTH - 1));
    assert_eq!(line, 1);
    assert!(message.contains("32"), "{message}");
    // Self-closing elements count too.
    let empty = minimal(&format!("{}<X/>{}", "<X>".repeat(29), "</X>".repeat(29)), "");
    assert!(parse(&empty).is_ok());
    let empty = minimal(&format!("{}<X/>{}", "<X>".repeat(30), "</X>".repeat(30)), "");
    assert!(matches!(parse(&empty), Err(XmlError::Malformed { .. })));
}

// --- errors ----------------------------------------------------------------------------

#[test]
fn mismatched_end_tag_is_malformed_with_its_line() {
    let xml = "<?xml version=\"1.0\"?>\n<DecMessage>\n  <DecHead>\n    <IEFlag>I</IEFlg>\n  </DecHead>\n</DecMessage>\n";
    let (line, column, message) = malformed(xml);
    assert_eq!(line, 4, "{message}");
    assert!(column >= 5, "column {column}");
    assert!(message.contains("IEFlag") || message.contains("IEFlg"), "{message}");
}

#[test]
fn unclosed_element_at_end_of_document_is_malformed() {
    let (line, _, message) = malformed("<DecMessage>\n<DecHead>\n<IEFlag>I</IEFlag>\n");
    assert_eq!(line, 4);
    assert!(message.contains("DecHead"), "{message}");
}

#[test]
fn broken_markup_is_malformed() {
    for (xml, want_line) in [
        ("<DecMessage>\n<DecHead>\n<IEFlag I</IEFlag></DecHead></DecMessage>", 3),
        ("<DecMessage>\n<DecHead></DecHead>\n</DecMessage>\n</Extra>", 4),
        ("<DecMessage><DecHead/>\n<!-- unterminated comment </DecMessage>", 2),
        ("<DecMessage a=\"1\" a=\"2\"><DecHead/></DecMessage>", 1),
        ("<DecMessage a=1><DecHead/></DecMessage>", 1),
    ] {
        match parse(xml) {
            Err(XmlError::Malformed { line, .. }) => assert_eq!(line, want_line, "{xml}"),
            other => panic!("{xml}: expected Malformed, got {other:?}"),
        }
    }
}

#[test]
fn bad_entity_references_are_malformed_at_their_position() {
    let (line, column, message) = malformed("<DecMessage>\n<DecHead>\n<NoteS>abc &nbsp; def</NoteS></DecHead></DecMessage>");
    assert_eq!((line, column), (3, 12), "{message}");
    assert!(message.contains("nbsp"), "{message}");

    let (line, column, _) = malformed("<DecMessage>\n<DecHead>\n<NoteS>A & B</NoteS></DecHead></DecMessage>");
    assert_eq!((line, column), (3, 10));

    let (line, _, _) = malformed("<DecMessage>\n<DecHead>\n<NoteS>&#0;</NoteS></DecHead></DecMessage>");
    assert_eq!(line, 3);
}

#[test]
fn column_counts_characters_not_bytes() {
    let (line, column, _) = malformed("<DecMessage><DecHead>\n<NoteS>中文 &bad;</NoteS>");
    assert_eq!((line, column), (2, 11));
}

#[test]
fn doctype_is_refused() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE DecMessage [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<DecMessage><DecHead><NoteS>&lol2;</NoteS></DecHead></DecMessage>"#;
    let err = parse(xml).unwrap_err();
    let XmlError::Malformed { line, message, .. } = &err else {
        panic!("expected Malformed, got {err:?}");
    };
    assert_eq!(*line, 2);
    assert!(message.contains("DOCTYPE"), "{message}");
    assert!(message.contains("DTD"), "{message}");

    // Even a harmless external DOCTYPE.
    let xml = "<!DOCTYPE DecMessage SYSTEM \"dec.dtd\"><DecMessage><DecHead/></DecMessage>";
    assert!(malformed(xml).2.contains("DOCTYPE"));
}

#[test]
fn wrong_root_is_reported_with_its_name() {
    assert_eq!(parse("<Declaration><DecHead/></Declaration>").unwrap_err(), XmlError::WrongRoot { found: "Declaration".into() });
    assert_eq!(parse("<dec:DecHead xmlns:dec=\"x\"/>").unwrap_err(), XmlError::WrongRoot { found: "dec:DecHead".into() });
}

#[test]
fn missing_dec_head_is_reported_with_its_path() {
    let xml = "<DecMessage><DecLists><DecList><DecHead/></DecList></DecLists></DecMessage>";
    let err = parse(xml).unwrap_err();
    assert_eq!(err, XmlError::Missing { path: "DecMessage/DecHead".into() });
    assert_eq!(err.path(), "DecMessage/DecHead");
}

#[test]
fn non_utf8_is_refused() {
    // "中国" in GBK.
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"GBK\"?><DecMessage><DecHead><NoteS>".to_vec();
    bytes.extend_from_slice(&[0xD6, 0xD0, 0xB9, 0xFA]);
    bytes.extend_from_slice(b"</NoteS></DecHead></DecMessage>");
    assert_eq!(parse_dec_message(&bytes).unwrap_err(), XmlError::NotUtf8);
    // UTF-16 with BOM.
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("<DecMessage/>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    assert_eq!(parse_dec_message(&utf16).unwrap_err(), XmlError::NotUtf8);
}

#[test]
fn content_outside_the_single_root_is_malformed() {
    let (line, column, message) = malformed("<DecMessage><DecHead/></DecMessage>\n  trailing");
    assert_eq!((line, column), (2, 3));
    assert!(message.contains("outside"), "{message}");
    let (_, _, message) = malformed("<DecMessage><DecHead/></DecMessage><DecMessage/>");
    assert!(message.contains("root"), "{message}");
    assert!(malformed("junk<DecMessage><DecHead/></DecMessage>").2.contains("outside"));
}

#[test]
fn empty_document_is_malformed() {
    for xml in ["", "   \n", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n"] {
        assert!(malformed(xml).2.contains("no root"), "{xml:?}");
    }
}

#[test]
fn errors_have_paths_and_bilingual_messages() {
    let cases = [
        (
            XmlError::Malformed { line: 3, column: 7, message: "boom".into() },
            "",
            "malformed XML at line 3, column 7: boom",
            "第 3 行，第 7 列",
        ),
        (
            XmlError::WrongRoot { found: "Foo".into() },
            "DecMessage",
            "root element must be DecMessage, found Foo",
            "根元素必须是 DecMessage，实际为 Foo",
        ),
        (
            XmlError::Missing { path: "DecMessage/DecHead".into() },
            "DecMessage/DecHead",
            "required element DecMessage/DecHead is missing",
            "缺少必填元素 DecMessage/DecHead",
        ),
        (XmlError::NotUtf8, "", "not valid UTF-8", "UTF-8"),
    ];
    for (err, path, en, zh) in cases {
        assert_eq!(err.path(), path);
        assert!(err.to_string().contains(en), "{err}");
        assert!(err.message_zh().contains(zh), "{}", err.message_zh());
    }
}

// --- writing and round trips -----------------------------------------------------------

#[test]
fn written_message_has_declaration_namespace_and_gacc_date() {
    let xml = write_dec_message(&seed_draft());
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    assert!(xml.contains("<DecMessage version=\"1.0\" xmlns=\"http://www.chinaport.gov.cn/dec\">"));
    assert!(xml.contains("<IEDate>20260310</IEDate>"));
    assert!(xml.contains("<NoteS>蔬菜种子 vegetable seeds &amp; samples</NoteS>"));
    assert!(xml.contains("<CusFie>YT01</CusFie>"));
    assert!(!xml.contains("ManifestNo"), "None fields are omitted");
}

#[test]
fn empty_draft_writes_minimal_message() {
    let xml = write_dec_message(&DeclarationDraft::default());
    assert!(xml.contains("<DecHead/>"));
    for absent in ["DecLists", "DecContainers", "DecLicenseDocus", "DecFreeTxt"] {
        assert!(!xml.contains(absent), "{absent} in {xml}");
    }
}

#[test]
fn non_iso_ie_date_is_written_unchanged() {
    let mut d = DeclarationDraft::default();
    d.head.ie_date = s("10/03/2026");
    assert!(write_dec_message(&d).contains("<IEDate>10/03/2026</IEDate>"));
    d.head.ie_date = s("2026-3-10");
    assert!(write_dec_message(&d).contains("<IEDate>2026-3-10</IEDate>"));
}

fn round_trip_cases() -> Vec<(&'static str, DeclarationDraft)> {
    let mut cases = vec![("empty", DeclarationDraft::default()), ("seed import", seed_draft())];

    let mut d = DeclarationDraft::default();
    d.head.ie_flag = s("E");
    d.head.mode = s("two-step");
    d.head.site_code = s("2249A1");
    cases.push(("head only, site code", d));

    let mut d = DeclarationDraft::default();
    d.head.voyage_no = s("118W");
    d.head.ie_date = None;
    d.head.mode = s("advance");
    cases.push(("advance without date", d));

    let mut d = DeclarationDraft::default();
    d.head.note = s("A & B <C> \"D\" 'E' ]]> &amp; 中文备注\nsecond line\tTab");
    d.head.traf_name = s("CR\r\nLF and\u{1}control");
    d.head.bill_no = s("<![CDATA[x]]>");
    d.items.push(ItemDraft { g_name: s("名称 & <规格>"), g_model: s("a|b|c"), ..ItemDraft::default() });
    cases.push(("characters that need escaping", d));

    let d = DeclarationDraft {
        items: vec![ItemDraft::default(), ItemDraft { g_no: s("2"), ..ItemDraft::default() }, ItemDraft::default()],
        containers: vec![ContainerDraft::default(), ContainerDraft { container_id: s("MSKU1234565"), container_md: None }],
        licences: vec![LicenceDraft { docu_code: None, cert_code: s("X") }, LicenceDraft::default()],
        ..DeclarationDraft::default()
    };
    cases.push(("empty list entries", d));

    let mut d = seed_draft();
    d.items = (1..=50)
        .map(|n| ItemDraft { g_no: Some(n.to_string()), code_ts: s("1209913000"), g_qty: Some(format!("{n}.5")), ..ItemDraft::default() })
        .collect();
    d.head.ie_date = s("1999-12-31");
    cases.push(("many items", d));

    cases
}

#[test]
fn write_then_parse_round_trips() {
    for (name, draft) in round_trip_cases() {
        let xml = write_dec_message(&draft);
        let back = parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}\n{xml}"));
        assert_eq!(back, draft, "{name}\n{xml}");
    }
}

#[test]
fn parse_then_write_then_parse_is_stable() {
    let first = parse(SEED_IMPORT).unwrap();
    let again = parse(&write_dec_message(&first)).unwrap();
    assert_eq!(first, again);
}

#[test]
fn nul_is_replaced_rather_than_producing_unreadable_xml() {
    let mut d = DeclarationDraft::default();
    d.head.note = s("a\0b");
    let back = parse(&write_dec_message(&d)).unwrap();
    assert_eq!(back.head.note.as_deref(), Some("a\u{fffd}b"));
}

#[test]
fn line_column_helper() {
    assert_eq!(line_column("", 0), (1, 1));
    assert_eq!(line_column("ab\ncd", 4), (2, 2));
    assert_eq!(line_column("ab\n", 3), (2, 1));
    assert_eq!(line_column("é\né", 99), (2, 2));
}

#[test]
fn attribute_errors_point_at_the_attribute() {
    let (line, column, message) = malformed("<DecMessage a=\"1\" a=\"2\"><DecHead/></DecMessage>");
    assert_eq!((line, column), (1, 19));
    assert!(message.contains("twice"), "{message}");
    let (line, column, message) = malformed("\n<DecMessage a=1><DecHead/></DecMessage>");
    assert_eq!((line, column), (2, 15));
    assert!(message.contains("quotes"), "{message}");
}
