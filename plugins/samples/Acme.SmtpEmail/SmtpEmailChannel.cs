using System.Globalization;
using System.Net;
using System.Net.Mail;
using Crm.Sdk;

namespace Acme.SmtpEmail;

/// <summary>
/// Sends a step's message as a plain-text e-mail to the customer's address over SMTP. Settings (per channel, from the
/// server's <c>Crm:Messaging:Channels:email:Settings</c>): <c>Host</c>, <c>Port</c> (25), <c>From</c>, <c>Subject</c>
/// (<c>{name}</c> is the customer's name), <c>UserName</c>/<c>Password</c>, <c>EnableSsl</c> (false).
/// A refused address is a permanent failure; a busy or unreachable server is retried by the host.
/// </summary>
public sealed class SmtpEmailChannel : IMessageChannel
{
    public string Name => "smtp-email";

    public async Task<MessageSendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var settings = message.Settings;
        if (string.IsNullOrWhiteSpace(message.Email))
        {
            return MessageSendResult.Failed("The customer has no e-mail address.", permanent: true);
        }

        if (!settings.TryGetValue("Host", out var host) || !settings.TryGetValue("From", out var from))
        {
            return MessageSendResult.Failed("The channel is not configured: set Host and From in its settings.");
        }

        MailAddress to;
        try
        {
            to = new MailAddress(message.Email.Trim(), message.CustomerName);
        }
        catch (FormatException)
        {
            return MessageSendResult.Failed($"'{message.Email}' is not an e-mail address.", permanent: true);
        }

        using var mail = new MailMessage(new MailAddress(from), to)
        {
            Subject = (settings.GetValueOrDefault("Subject") ?? "A message for {name}").Replace("{name}", message.CustomerName ?? "you"),
            Body = message.Body,
        };
        // The same id on every try of a step, so a receiving system can drop a duplicate after a retry.
        mail.Headers.Add("X-Crm-Message-Id", message.Id);
        using var client = new SmtpClient(host, Port(settings))
        {
            EnableSsl = bool.TryParse(settings.GetValueOrDefault("EnableSsl"), out var ssl) && ssl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (settings.TryGetValue("UserName", out var user))
        {
            client.Credentials = new NetworkCredential(user, settings.GetValueOrDefault("Password"));
        }

        try
        {
            await client.SendMailAsync(mail, cancellationToken);
            return MessageSendResult.Sent($"to {to.Address}");
        }
        catch (SmtpFailedRecipientException refused) when (refused.StatusCode is SmtpStatusCode.MailboxUnavailable
                                                              or SmtpStatusCode.MailboxNameNotAllowed or SmtpStatusCode.UserNotLocalTryAlternatePath)
        {
            return MessageSendResult.Failed($"The server refused {to.Address}: {refused.Message}", permanent: true);
        }
        catch (SmtpException failed)
        {
            return MessageSendResult.Failed($"SMTP {(int)failed.StatusCode}: {failed.Message}");
        }
    }

    private static int Port(IReadOnlyDictionary<string, string> settings) =>
        int.TryParse(settings.GetValueOrDefault("Port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 25;
}
