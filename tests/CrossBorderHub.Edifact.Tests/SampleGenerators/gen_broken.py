import os, json
os.chdir(os.path.join(os.path.dirname(__file__), '../../../samples/messages/edifact/broken'))
base = open('../cusdec-d96b-una-syntax3.edi','rb').read().decode('latin-1')
lines = base.split('\r\n')[:-1]
def mk(name, lines_, code, seg, tag, pos, desc, raw=None, enc='latin-1'):
    data = raw if raw is not None else ('\r\n'.join(lines_) + '\r\n').encode(enc)
    open(name + '.edi','wb').write(data)
    json.dump({"defect": desc, "code": code, "segment": seg, "tag": tag, "position": pos}, open(name + '.expected.json','w'), indent=2)
def rep(i, new):
    l = list(lines); l[i] = new; return l
def rm(i):
    l = list(lines); del l[i]; return l
# indexes: 0 UNA,1 UNB,2 UNH,3 BGM,4 LOC,5 DTM,6 RFF,7 TDT,8 NAD,9 MOA,10 CUX,11 UNS,12 UNS,13 CNT,14 UNT,15 UNZ
mk('unt-count-wrong', rep(14, "UNT+12+1'"), 29, 15, 'UNT', '1', 'UNT 0074 says 12 segments, the message has 13')
mk('unt-reference-mismatch', rep(14, "UNT+13+2'"), 28, 15, 'UNT', '2', 'UNT 0062 does not repeat the UNH reference')
mk('unz-count-wrong', rep(15, "UNZ+2+REF0001'"), 29, 16, 'UNZ', '1', 'UNZ 0036 says 2 messages, there is 1')
mk('unz-reference-mismatch', rep(15, "UNZ+1+REF9999'"), 28, 16, 'UNZ', '2', 'UNZ 0020 differs from UNB 0020')
mk('missing-unz', rm(15), 13, 16, 'UNZ', '0', 'the interchange ends without UNZ')
mk('missing-unb', rm(1), 13, 2, 'UNH', '0', 'no UNB before the first message')
mk('invalid-code', rep(3, "BGM+999+DEC0001+9'"), 12, 4, 'BGM', '1:1', '999 is not in code list 1001')
mk('element-too-long', rep(6, "RFF+ABT:" + "X"*36 + "'"), 39, 7, 'RFF', '1:2', 'RFF 1154 is an..35, the value has 36 characters')
mk('not-numeric', rep(9, "MOA+39:12A0'"), 37, 10, 'MOA', '1:2', 'MOA 5004 is numeric')
mk('missing-mandatory-element', rep(8, "NAD++++Exporter Co'"), 13, 9, 'NAD', '1', 'NAD 3035 party qualifier is mandatory')
mk('segment-out-of-order', lines[:4] + [lines[5], lines[4]] + lines[6:], 15, 6, 'LOC', '0', 'LOC after DTM: not allowed there in CUSDEC')
mk('missing-mandatory-segment', rm(3), 13, 4, 'LOC', '0', 'BGM is mandatory before LOC')
mk('segment-repeated-too-often', lines[:4] + [lines[3]] + lines[4:14] + ["UNT+14+1'"] + lines[15:], 35, 5, 'BGM', '0', 'BGM occurs at most once')
mk('trailing-separator', rep(5, "DTM+137:20240115:102:'"), 45, 6, 'DTM', '1:4', 'empty trailing component')
mk('too-many-components', rep(3, "BGM+830:1:2:3:4+DEC0001+9'"), 16, 4, 'BGM', '1:5', 'C002 has 4 components')
mk('unsupported-syntax-identifier', rep(1, lines[1].replace('UNOC:3', 'UNOZ:3')), 2, 2, 'UNB', '1:1', 'UNOZ is not an ISO 9735 syntax identifier')
mk('unb-date-too-short', rep(1, lines[1].replace('240115:1030', '24011:1030')), 40, 2, 'UNB', '4:1', 'UNB 0017 is n6 in syntax 3')
mk('unknown-directory', rep(2, "UNH+1+CUSDEC:D:21A:UN'"), 14, 3, 'UNH', '2:2', 'directory D21A is not in schemas/edifact')
mk('unknown-message-type', rep(2, "UNH+1+CUSXXX:D:96B:UN'"), 14, 3, 'UNH', '2:1', 'CUSXXX is not a D.96B message')
mk('wrong-una', rep(0, "UNA::.? '"), 20, 1, 'UNA', '1', 'UNA repeats ":" as component and element separator')
mk('truncated', None, 13, 16, 'UNZ', '0', 'the file stops inside UNZ', raw=('\r\n'.join(lines[:15]) + "\r\nUNZ+1+REF").encode())
mk('lone-release-at-end', None, 13, 16, 'UNZ', '0', 'a release character with nothing after it ends the file', raw=('\r\n'.join(lines[:15]) + "\r\nUNZ+1+REF0001?").encode())
mk('unoa-lowercase', None, 21, 5, 'NAD', '4', 'lower-case letters are not in UNOA',
   raw=open('../cusdec-d96b-syntax1-unoa.edi','rb').read().replace(b'IMPORTER LTD', b'Importer Ltd'))
mk('unoy-invalid-utf8', None, 21, 6, 'FTX', '4:1', 'byte 0xFF is not UTF-8',
   raw=open('../sancrt-d96b-unoy-utf8.edi','rb').read().replace('Fresh'.encode(), b'Fr\xffsh'))
g = open('../cusres-d96b-groups.edi','rb').read()
mk('une-count-wrong', None, 29, 13, 'UNE', '1', 'UNE 0060 says 3 messages, the group has 2', raw=g.replace(b"UNE+2+GRP1'", b"UNE+3+GRP1'"))
