//! What an API key may do (its scope), chosen by the administrator who
//! issues it. A key does one thing: a department's system that pushes
//! records has no business reading other departments' records, and the
//! platform that reads them has no business writing any.

/// The scope of an API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyScope {
    /// A department's system pushes that department's penalties and
    /// licences (`/api/v1/collect/…`); the key is bound to the department.
    Push,
    /// The provincial credit platform reads the change feed
    /// (`/api/v1/feed/changes`); bound to no department, it cannot push.
    Feed,
}

impl KeyScope {
    pub const ALL: [KeyScope; 2] = [KeyScope::Push, KeyScope::Feed];

    pub fn code(self) -> &'static str {
        match self {
            KeyScope::Push => "push",
            KeyScope::Feed => "feed",
        }
    }

    pub fn from_code(code: &str) -> Option<KeyScope> {
        KeyScope::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            KeyScope::Push => "报送",
            KeyScope::Feed => "共享读取",
        }
    }

    /// What a key of this scope is for, as the issuing form explains it.
    pub fn explanation(self) -> &'static str {
        match self {
            KeyScope::Push => "认定单位业务系统报送本单位的行政处罚、行政许可信息；须选择报送单位",
            KeyScope::Feed => "省级信用平台读取记录变动（已按规定脱敏，不含不予共享的信息）；不属于任何单位，不能报送",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in KeyScope::ALL {
            assert_eq!(KeyScope::from_code(s.code()), Some(s));
        }
        assert_eq!(KeyScope::from_code("admin"), None);
    }
}
