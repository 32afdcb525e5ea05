using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FleetDashboard.Web.People;

/// <summary>What became of an invitation's mail: the invitation stands whatever it says.</summary>
public enum MailOutcome { NotConfigured, Sent, Failed }

/// <summary>
/// Mails an invitation's link through the SMTP server of <c>Fleet:Smtp</c> (Host, Port, User, Password, From), when one
/// is configured. Without one nothing is sent and the administrator hands the link on; a failure is logged and reported,
/// never thrown: the invitation is already recorded and its link shown.
/// </summary>
public sealed class InvitationMail(IConfiguration configuration, ILogger<InvitationMail> logger)
{
    public const string Section = "Fleet:Smtp";

    /// <summary>An unreachable mail server must not hold the administrator's page for long.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task<MailOutcome> SendAsync(string to, string subject, string text, CancellationToken ct = default)
    {
        var smtp = configuration.GetSection(Section);
        if (smtp["Host"] is not { Length: > 0 } host) return MailOutcome.NotConfigured;
        try
        {
            var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
            message.From.Add(MailboxAddress.Parse(smtp["From"] is { Length: > 0 } from ? from : "fleet@localhost"));
            message.To.Add(MailboxAddress.Parse(to));
            using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(Timeout);
            await client.ConnectAsync(host.Trim(), smtp.GetValue("Port", 587), SecureSocketOptions.Auto, deadline.Token);
            if (smtp["User"] is { Length: > 0 } user) await client.AuthenticateAsync(user, smtp["Password"] ?? "", deadline.Token);
            await client.SendAsync(message, deadline.Token);
            await client.DisconnectAsync(quit: true, deadline.Token);
            return MailOutcome.Sent;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "The invitation mail to {Email} could not be sent.", to);
            return MailOutcome.Failed;
        }
    }
}
