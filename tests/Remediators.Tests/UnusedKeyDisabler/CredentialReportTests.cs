using UnusedKeyDisabler;

namespace Remediators.Tests.UnusedKeyDisabler;

public sealed class CredentialReportTests
{
    private const string Header =
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active," +
        "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
        "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service," +
        "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    [Fact]
    public void Parse_ReadsActiveKeySlotsAndSkipsTheRootAccount()
    {
        var csv = Header + "\n" +
            "<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported,true,true,2020-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n" +
            "ci,arn:aws:iam::123456789012:user/service-accounts/ci,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false," +
            "true,2024-01-02T00:00:00+00:00,2026-11-01T08:00:00+00:00,us-east-1,s3,false,2024-01-03T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A\n";

        var user = Assert.Single(CredentialReport.Parse(csv));

        Assert.Equal("ci", user.UserName);
        Assert.Equal("/service-accounts/", user.Path);
        var key = Assert.Single(user.ActiveKeys);
        Assert.Equal(1, key.Slot);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero), key.LastUsed);
    }

    [Fact]
    public void Parse_ANeverUsedKey_HasNoLastUseAndFallsBackToItsCreation()
    {
        var csv = Header + "\nbob,arn:aws:iam::123456789012:user/bob,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false," +
            "true,2024-05-06T07:08:09+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";

        var key = Assert.Single(Assert.Single(CredentialReport.Parse(csv)).ActiveKeys);

        Assert.Null(key.LastUsed);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), key.LastActivity);
        Assert.Equal("/", Assert.Single(CredentialReport.Parse(csv)).Path);
    }

    [Fact]
    public void Parse_ARowWithMissingFields_FailsLoudly() =>
        Assert.Throws<FormatException>(() => CredentialReport.Parse(Header + "\nbob,arn:aws:iam::123456789012:user/bob,true"));
}
