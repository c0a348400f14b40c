-- Source repository : https://github.com/chatwoot/chatwoot
-- Source files      : db/schema.rb                (commit 0032d604c20112c0e490afc22108ede7b2fa6ada,
--                                                  ActiveRecord::Schema[7.1] version 2025_08_16_044639)
--                     app/models/conversation.rb  (commit 002086a48bd726a5cba2e0a26bd5edb0fa520955, line 75)
--                     app/models/message.rb       (commit 9efbdc4fc1721f171098425aa1f363b53bb6628a, line 46;
--                                                  same enum in 0049df880499de45616ff3cefe452e23bc1aa05e)
-- The commit hashes are those of the stored file versions read through the code
-- index (a full snapshot of the repository was too large to fetch), so the three
-- files come from three different commits.
--
-- Structure reproduced for SyncDesk's worked example; not Chatwoot's code.
--
-- Type mapping used: string -> character varying, text -> text, integer -> integer,
-- bigint -> bigint, datetime (precision: nil) -> timestamp without time zone,
-- datetime (Rails 7 default precision 6) -> timestamp(6) without time zone,
-- json -> json, jsonb -> jsonb, boolean -> boolean, uuid -> uuid,
-- create_table ..., id: :serial -> id serial PRIMARY KEY.
-- Only indexes marked unique: true are reproduced. schema.rb declares no foreign
-- keys between accounts, inboxes, contacts, conversations and messages, so none are
-- created here.

CREATE SCHEMA chatwoot;

-- accounts: id, name and the NOT NULL columns only (schema.rb has more nullable columns).
CREATE TABLE chatwoot.accounts (
    id                  serial PRIMARY KEY,
    name                character varying NOT NULL,
    created_at          timestamp without time zone NOT NULL,
    updated_at          timestamp without time zone NOT NULL,
    feature_flags       bigint DEFAULT 0 NOT NULL,
    internal_attributes jsonb DEFAULT '{}'::jsonb NOT NULL
);

-- inboxes: included because conversations.inbox_id and messages.inbox_id are NOT NULL.
-- Minimal: id plus the NOT NULL columns only.
CREATE TABLE chatwoot.inboxes (
    id                          serial PRIMARY KEY,
    channel_id                  integer NOT NULL,
    account_id                  integer NOT NULL,
    name                        character varying NOT NULL,
    created_at                  timestamp without time zone NOT NULL,
    updated_at                  timestamp without time zone NOT NULL,
    lock_to_single_conversation boolean DEFAULT false NOT NULL,
    sender_name_type            integer DEFAULT 0 NOT NULL,
    csat_config                 jsonb DEFAULT '{}'::jsonb NOT NULL
);

CREATE TABLE chatwoot.contacts (
    id                    serial PRIMARY KEY,
    name                  character varying DEFAULT ''::character varying,
    email                 character varying,
    phone_number          character varying,
    account_id            integer NOT NULL,
    created_at            timestamp without time zone NOT NULL,
    updated_at            timestamp without time zone NOT NULL,
    additional_attributes jsonb DEFAULT '{}'::jsonb,
    identifier            character varying,
    custom_attributes     jsonb DEFAULT '{}'::jsonb,
    last_activity_at      timestamp without time zone,
    contact_type          integer DEFAULT 0,
    middle_name           character varying DEFAULT ''::character varying,
    last_name             character varying DEFAULT ''::character varying,
    location              character varying DEFAULT ''::character varying,
    country_code          character varying DEFAULT ''::character varying,
    blocked               boolean DEFAULT false NOT NULL
);
CREATE UNIQUE INDEX uniq_email_per_account_contact
    ON chatwoot.contacts USING btree (email, account_id);
CREATE UNIQUE INDEX uniq_identifier_per_account_contact
    ON chatwoot.contacts USING btree (identifier, account_id);

CREATE TABLE chatwoot.conversations (
    id                     serial PRIMARY KEY,
    account_id             integer NOT NULL,
    inbox_id               integer NOT NULL,
    -- status: integer enum (app/models/conversation.rb:75)
    --   open = 0, resolved = 1, pending = 2, snoozed = 3
    status                 integer DEFAULT 0 NOT NULL,
    assignee_id            integer,
    created_at             timestamp without time zone NOT NULL,
    updated_at             timestamp without time zone NOT NULL,
    contact_id             bigint,
    -- display_id: NOT NULL, no default. In Chatwoot it is filled by the BEFORE INSERT
    -- trigger conversations_before_insert_row_tr
    -- (NEW.display_id := nextval('conv_dpid_seq_' || NEW.account_id)); that trigger and
    -- the per-account sequences are not reproduced here, so inserts must supply it.
    display_id             integer NOT NULL,
    contact_last_seen_at   timestamp without time zone,
    agent_last_seen_at     timestamp without time zone,
    additional_attributes  jsonb DEFAULT '{}'::jsonb,
    contact_inbox_id       bigint,
    uuid                   uuid DEFAULT gen_random_uuid() NOT NULL,
    identifier             character varying,
    last_activity_at       timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    team_id                bigint,
    campaign_id            bigint,
    snoozed_until          timestamp without time zone,
    custom_attributes      jsonb DEFAULT '{}'::jsonb,
    assignee_last_seen_at  timestamp without time zone,
    first_reply_created_at timestamp without time zone,
    -- priority: integer enum (app/models/conversation.rb:76) low = 0, medium = 1, high = 2, urgent = 3
    priority               integer,
    sla_policy_id          bigint,
    waiting_since          timestamp(6) without time zone,
    cached_label_list      text
);
CREATE UNIQUE INDEX index_conversations_on_account_id_and_display_id
    ON chatwoot.conversations USING btree (account_id, display_id);
CREATE UNIQUE INDEX index_conversations_on_uuid
    ON chatwoot.conversations USING btree (uuid);

CREATE TABLE chatwoot.messages (
    id                        serial PRIMARY KEY,
    content                   text,
    account_id                integer NOT NULL,
    inbox_id                  integer NOT NULL,
    conversation_id           integer NOT NULL,
    -- message_type: integer enum (app/models/message.rb:46)
    --   incoming = 0, outgoing = 1, activity = 2, template = 3
    message_type              integer NOT NULL,
    created_at                timestamp without time zone NOT NULL,
    updated_at                timestamp without time zone NOT NULL,
    private                   boolean DEFAULT false NOT NULL,
    -- status: integer enum (message.rb) sent = 0, delivered = 1, read = 2, failed = 3
    status                    integer DEFAULT 0,
    source_id                 character varying,
    -- content_type: integer enum (message.rb) text = 0, input_text = 1, input_textarea = 2,
    --   input_email = 3, input_select = 4, cards = 5, form = 6, article = 7,
    --   incoming_email = 8, input_csat = 9 (later versions may add values)
    content_type              integer DEFAULT 0 NOT NULL,
    content_attributes        json DEFAULT '{}'::json,
    sender_type               character varying,
    sender_id                 bigint,
    external_source_ids       jsonb DEFAULT '{}'::jsonb,
    additional_attributes     jsonb DEFAULT '{}'::jsonb,
    processed_message_content text,
    sentiment                 jsonb DEFAULT '{}'::jsonb
);
-- messages has no unique index in schema.rb.
