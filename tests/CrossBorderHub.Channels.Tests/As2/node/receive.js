// libas2 as an independent AS2 server: decrypts and verifies what the hub sends, answers with a signed MDN
// (synchronously, or by POST to Receipt-Delivery-Option). Input: one JSON object on stdin (keys and ids).
// Output: one JSON line with the port, then one JSON line per message received.
'use strict'
const http = require('http')
const { AS2Parser, AS2Disposition } = require('libas2')

async function readStdin () {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

function post (url, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers }, response => {
      response.resume()
      response.on('end', () => resolve(response.statusCode))
    })
    request.on('error', reject)
    request.end(body)
  })
}

async function main () {
  const input = await readStdin()
  const agreement = {
    host: { name: 'CN single window', id: input.id, url: 'http://127.0.0.1/unused', certificate: input.cert, privateKey: input.key, decrypt: input.decrypt },
    partner: { name: 'CrossBorderHub', id: input.partnerId, url: 'http://127.0.0.1/unused', certificate: input.partnerCert, verify: true, mdn: { signing: input.mdnSigning } }
  }
  const server = http.createServer((request, response) => {
    const chunks = []
    request.on('data', c => chunks.push(c))
    request.on('end', async () => {
      try {
        const node = await AS2Parser.parse({ headers: request.rawHeaders, content: Buffer.concat(chunks) })
        const { contentNode, dispositionNode, disposition } = await AS2Disposition.outgoing({ node, agreement })
        const { headers, body } = await dispositionNode.buildObject()
        const notification = disposition.notification
        const line = {
          messageId: request.headers['message-id'],
          processed: notification.disposition.processed && !notification.disposition.description,
          description: notification.disposition.description || null,
          mic: notification.receivedContentMic ? notification.receivedContentMic.mic : null,
          content: contentNode && contentNode.content ? Buffer.from(contentNode.content).toString('base64') : null,
          filename: contentNode ? contentNode.filename || null : null
        }
        const asyncUrl = request.headers['receipt-delivery-option']
        if (asyncUrl) {
          response.writeHead(200, { 'Content-Type': 'text/plain' })
          response.end('MDN will follow')
          line.asyncStatus = await post(asyncUrl, headers, body)
        } else {
          response.writeHead(200, headers)
          response.end(body)
        }
        process.stdout.write(JSON.stringify(line) + '\n')
      } catch (error) {
        process.stdout.write(JSON.stringify({ error: String(error && error.stack || error) }) + '\n')
        response.writeHead(500, { 'Content-Type': 'text/plain' })
        response.end(String(error))
      }
    })
  })
  server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n'))
}

main().catch(error => { process.stderr.write(String(error && error.stack || error)); process.exit(1) })
