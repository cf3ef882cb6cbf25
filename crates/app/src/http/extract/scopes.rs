//! The scope sets endpoints accept, as types, so a handler's signature says what it needs.

pub trait ScopeSet: Send + Sync + 'static {
    const SCOPES: &'static [&'static str];
}

macro_rules! scope_set {
    ($($(#[$m:meta])* $name:ident => [$($s:literal),+ $(,)?];)+) => {
        $(
            $(#[$m])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl ScopeSet for $name {
                const SCOPES: &'static [&'static str] = &[$($s),+];
            }
        )+
    };
}

scope_set! {
    /// No scope needed (any valid token).
    AnyScope => [""];
    ReadAccounts => ["read", "read:accounts"];
    ProfileOrReadAccounts => ["profile", "read", "read:accounts"];
    WriteAccounts => ["write", "write:accounts"];
    ReadFollows => ["read", "read:follows"];
    FollowOrReadFollows => ["follow", "read", "read:follows"];
    FollowOrWriteFollows => ["follow", "write", "write:follows"];
    FollowOrWriteBlocks => ["follow", "write", "write:blocks"];
    FollowOrWriteMutes => ["follow", "write", "write:mutes"];
    FollowOrReadBlocks => ["follow", "read", "read:blocks"];
    FollowOrReadMutes => ["follow", "read", "read:mutes"];
    ReadLists => ["read", "read:lists"];
    WriteLists => ["write", "write:lists"];
    ReadNotifications => ["read", "read:notifications"];
    WriteNotifications => ["write", "write:notifications"];
    ReadStatuses => ["read", "read:statuses"];
    WriteStatuses => ["write", "write:statuses"];
    WriteMedia => ["write", "write:media"];
    WriteReports => ["write", "write:reports"];
    ReadSearch => ["read", "read:search"];
    Profile => ["profile"];
    AdminReadAccounts => ["admin:read", "admin:read:accounts"];
    AdminWriteAccounts => ["admin:write", "admin:write:accounts"];
    AdminReadReports => ["admin:read", "admin:read:reports"];
    AdminWriteReports => ["admin:write", "admin:write:reports"];
    AdminReadDomainBlocks => ["admin:read", "admin:read:domain_blocks"];
    AdminWriteDomainBlocks => ["admin:write", "admin:write:domain_blocks"];
    AdminReadDomainAllows => ["admin:read", "admin:read:domain_allows"];
    AdminWriteDomainAllows => ["admin:write", "admin:write:domain_allows"];
    /// Woolly's own admin endpoints that have no granular scope (the audit trail).
    AdminRead => ["admin:read"];
}
