// libas2 as an independent AS2 client: composes a signed + encrypted message, POSTs it to the hub and checks the
// MDN (signature with the hub's certificate, disposition, MIC against libas2's own digest of what it signed).
// Input: one JSON object on stdin. Output: one JSON object on stdout.
'use strict'
const http = require('http')
const { AS2Composer, AS2Parser, AS2Disposition, AS2Crypto } = require('libas2')

async function readStdin () {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

function post (url, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers }, response => {
      const chunks = []
      response.on('data', c => chunks.push(c))
      response.on('end', () => resolve({ status: response.statusCode, rawHeaders: response.rawHeaders, body: Buffer.concat(chunks) }))
      response.on('error', reject)
    })
    request.on('error', reject)
    request.end(body)
  })
}

// For an asynchronous MDN: a local server that waits for the hub's MDN POST.
function mdnServer () {
  return new Promise(resolve => {
    let deliver
    const received = new Promise(r => { deliver = r })
    const server = http.createServer((request, response) => {
      const chunks = []
      request.on('data', c => chunks.push(c))
      request.on('end', () => {
        response.writeHead(200, { 'Content-Type': 'text/plain' })
        response.end('MDN received')
        deliver({ rawHeaders: request.rawHeaders, body: Buffer.concat(chunks) })
      })
    })
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/mdn`, received }))
  })
}

async function readMdn (input, rawHeaders, body) {
  const mdnNode = await AS2Parser.parse({ headers: rawHeaders, content: body })
  const disposition = await AS2Disposition.incoming(mdnNode, input.mdnSigning ? { cert: input.hubCert } : undefined)
  const notification = disposition.notification
  return {
    originalMessageId: notification.originalMessageId,
    processed: notification.disposition.processed,
    disposition: notification.disposition,
    mic: notification.receivedContentMic ? notification.receivedContentMic.mic : null,
    micAlgorithm: notification.receivedContentMic ? notification.receivedContentMic.algorithm : null
  }
}

async function main () {
  const input = await readStdin()
  const mdn = input.async ? await mdnServer() : null
  if (mdn) input.asyncUrl = mdn.url
  const composer = new AS2Composer({
    message: { filename: 'cusdec.edi', contentType: 'application/edifact', content: input.payload },
    agreement: {
      host: {
        name: 'CN single window', id: input.from, url: input.asyncUrl || 'http://127.0.0.1/unused',
        certificate: input.partnerCert, privateKey: input.partnerKey,
        sign: input.sign, decrypt: false,
        mdn: { async: !!input.asyncUrl, signing: input.mdnSigning }
      },
      partner: {
        name: 'CrossBorderHub', id: input.to, url: input.url, file: 'EDIFACT',
        certificate: input.hubCert, encrypt: input.encrypt, verify: true
      }
    }
  })
  const message = await composer.compile()
  // libas2's own MIC of what it signed: decrypt its message again and take the signature's digest.
  const signedNode = await AS2Crypto.decrypt(message, { cert: input.hubCert, key: input.hubKey })
  const own = await AS2Crypto.verify(signedNode, { cert: input.partnerCert }, true)
  const { headers, body } = await message.buildObject()
  const response = await post(input.url, headers, body)
  const result = { status: response.status, messageId: message.messageId(), expectedMic: own.digest.toString('base64'), responseText: '' }
  if (response.status !== 200) {
    result.responseText = response.body.toString('utf8')
  } else if (mdn) {
    result.responseText = response.body.toString('utf8')
    const timeout = new Promise((resolve, reject) => setTimeout(() => reject(new Error('no async MDN within 20 s')), 20000))
    const received = await Promise.race([mdn.received, timeout])
    Object.assign(result, await readMdn(input, received.rawHeaders, received.body))
    mdn.server.close()
  } else {
    Object.assign(result, await readMdn(input, response.rawHeaders, response.body))
  }
  process.stdout.write(JSON.stringify(result))
}

main().catch(error => { process.stderr.write(String(error && error.stack || error)); process.exit(1) })
