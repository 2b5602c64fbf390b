/**
 * One responsive, table-based layout with inline styles: the form that renders alike in Gmail,
 * Outlook and Apple Mail, which ignore most of <style>. The unsubscribe URL is Tend's own
 * (base64url token), inserted unescaped so the link stays byte-identical to List-Unsubscribe's.
 */
export function layout(body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{product.name}}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;">
<tr><td style="padding:28px 32px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:24px;color:#1f2933;">
${body.replace(/class="button"/g, 'style="display:inline-block;padding:10px 18px;background:#2457d6;color:#ffffff;text-decoration:none;border-radius:6px;"')}
</td></tr>
<tr><td style="padding:0 32px 24px;font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#6b7785;">Sent by {{sender.name}} for {{product.name}} to {{contact.email}}. <a href="{{{unsubscribeUrl}}}" style="color:#6b7785;">Unsubscribe</a></td></tr>
</table></td></tr></table></body></html>`;
}
