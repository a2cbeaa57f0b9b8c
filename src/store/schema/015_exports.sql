-- 015: exports of work orders and figures for the office's own reports (src/api/api_export.c):
-- workorder.export, held by the administrator and the subdistrict's and communities' staff.  A
-- caller's phone in full needs workorder.reveal too; every export is audited.
INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'workorder.export'), ('subdistrict_staff', 'workorder.export'), ('community_staff', 'workorder.export');
