* nnmip 0.1.0: fixtures/onnx/leaky_relu_alpha02.onnx
* objective: maximize (see --names for the variables)
* maximize: the objective row holds the NEGATED objective; the minimum is minus the maximum
NAME leaky_relu_alpha02 FREE
ROWS
 N  obj
 E  r_l1_n0
 E  r_l1_n1
 E  r_l1_n2
 E  r_l1_n3
 E  r_l1_n4
 G  ra_l2_n0
 G  rb_l2_n0
 L  rm_l2_n0
 L  ru_l2_n0
 G  ra_l2_n1
 G  rb_l2_n1
 L  rm_l2_n1
 L  ru_l2_n1
 G  ra_l2_n2
 G  rb_l2_n2
 L  rm_l2_n2
 L  ru_l2_n2
 G  ra_l2_n3
 G  rb_l2_n3
 L  rm_l2_n3
 L  ru_l2_n3
 G  ra_l2_n4
 G  rb_l2_n4
 L  rm_l2_n4
 L  ru_l2_n4
COLUMNS
    x_l0_n0  r_l1_n0  -0.10034442692995071  r_l1_n1  -0.7671450972557068
    x_l0_n0  r_l1_n2  0.16478721797466278  r_l1_n3  0.11581716686487198
    x_l0_n0  r_l1_n4  -0.19445949792861938
    x_l0_n1  r_l1_n0  -0.8913908004760742  r_l1_n1  0.9118791222572327
    x_l0_n1  r_l1_n2  -0.3741704523563385  r_l1_n3  0.7421022653579712
    x_l0_n1  r_l1_n4  -0.1496700942516327
    x_l0_n2  r_l1_n0  0.39833202958106995  r_l1_n1  -0.39183902740478516
    x_l0_n2  r_l1_n2  -0.2569357752799988  r_l1_n3  -0.29771414399147034
    x_l0_n2  r_l1_n4  -0.17063099145889282
    x_l0_n3  r_l1_n0  0.8065834641456604  r_l1_n1  -0.19377292692661285
    x_l0_n3  r_l1_n2  0.10733363032341003  r_l1_n3  0.9614646434783936
    x_l0_n3  r_l1_n4  -0.7171182632446289
    h_l1_n0  r_l1_n0  -1.0  ra_l2_n0  -1.0
    h_l1_n0  rb_l2_n0  -0.20000000298023224  rm_l2_n0  -1.0
    h_l1_n0  ru_l2_n0  -0.20000000298023224
    h_l1_n1  r_l1_n1  -1.0  ra_l2_n1  -1.0
    h_l1_n1  rb_l2_n1  -0.20000000298023224  rm_l2_n1  -1.0
    h_l1_n1  ru_l2_n1  -0.20000000298023224
    h_l1_n2  r_l1_n2  -1.0  ra_l2_n2  -1.0
    h_l1_n2  rb_l2_n2  -0.20000000298023224  rm_l2_n2  -1.0
    h_l1_n2  ru_l2_n2  -0.20000000298023224
    h_l1_n3  r_l1_n3  -1.0  ra_l2_n3  -1.0
    h_l1_n3  rb_l2_n3  -0.20000000298023224  rm_l2_n3  -1.0
    h_l1_n3  ru_l2_n3  -0.20000000298023224
    h_l1_n4  r_l1_n4  -1.0  ra_l2_n4  -1.0
    h_l1_n4  rb_l2_n4  -0.20000000298023224  rm_l2_n4  -1.0
    h_l1_n4  ru_l2_n4  -0.20000000298023224
    a_l2_n0  obj  -1.0  ra_l2_n0  1.0
    a_l2_n0  rb_l2_n0  1.0  rm_l2_n0  1.0
    a_l2_n0  ru_l2_n0  1.0
    M0  'MARKER'  'INTORG'
    z_l2_n0  rm_l2_n0  1.876521669788207  ru_l2_n0  -1.6381194709311462
    M1  'MARKER'  'INTEND'
    a_l2_n1  ra_l2_n1  1.0  rb_l2_n1  1.0
    a_l2_n1  rm_l2_n1  1.0  ru_l2_n1  1.0
    M2  'MARKER'  'INTORG'
    z_l2_n1  rm_l2_n1  1.6969903286658605  ru_l2_n1  -1.9264275359867995
    M3  'MARKER'  'INTEND'
    a_l2_n2  ra_l2_n2  1.0  rb_l2_n2  1.0
    a_l2_n2  rm_l2_n2  1.0  ru_l2_n2  1.0
    M4  'MARKER'  'INTORG'
    z_l2_n2  rm_l2_n2  0.7961686700725239  ru_l2_n2  -0.6489946460388807
    M5  'MARKER'  'INTEND'
    a_l2_n3  ra_l2_n3  1.0  rb_l2_n3  1.0
    a_l2_n3  rm_l2_n3  1.0  ru_l2_n3  1.0
    M6  'MARKER'  'INTORG'
    z_l2_n3  rm_l2_n3  1.859473787771637  ru_l2_n3  -1.5278833511178085
    M7  'MARKER'  'INTEND'
    a_l2_n4  ra_l2_n4  1.0  rb_l2_n4  1.0
    a_l2_n4  rm_l2_n4  1.0  ru_l2_n4  1.0
    M8  'MARKER'  'INTORG'
    z_l2_n4  rm_l2_n4  0.8686170545644432  ru_l2_n4  -1.1023890931070266
    M9  'MARKER'  'INTEND'
RHS
    RHS  r_l1_n0  0.1490013748407364
    RHS  r_l1_n1  -0.143398255109787
    RHS  r_l1_n2  0.09198376536369324
    RHS  r_l1_n3  0.20724402368068695
    RHS  r_l1_n4  -0.1461075246334076
    RHS  rm_l2_n0  1.876521669788207
    RHS  rm_l2_n1  1.6969903286658605
    RHS  rm_l2_n2  0.7961686700725239
    RHS  rm_l2_n3  1.859473787771637
    RHS  rm_l2_n4  0.8686170545644432
BOUNDS
 LO BND  x_l0_n0  -1.0
 UP BND  x_l0_n0  1.0
 LO BND  x_l0_n1  -1.0
 UP BND  x_l0_n1  1.0
 LO BND  x_l0_n2  -1.0
 UP BND  x_l0_n2  1.0
 LO BND  x_l0_n3  -1.0
 UP BND  x_l0_n3  1.0
 LO BND  h_l1_n0  -2.345652095973494
 UP BND  h_l1_n0  2.047649346292021
 LO BND  h_l1_n1  -2.1212379187345527
 UP BND  h_l1_n1  2.4080344289541267
 LO BND  h_l1_n2  -0.9952108412981041
 UP BND  h_l1_n2  0.8112433105707176
 LO BND  h_l1_n3  -2.324342243373396
 UP BND  h_l1_n3  1.9098541960120219
 LO BND  h_l1_n4  -1.0857713222503673
 UP BND  h_l1_n4  1.3779863715171825
 LO BND  a_l2_n0  -0.46913042618528683
 UP BND  a_l2_n0  2.0476493462920216
 LO BND  z_l2_n0  0.0
 UP BND  z_l2_n0  1.0
 LO BND  a_l2_n1  -0.4242475900686922
 UP BND  a_l2_n1  2.408034428954127
 LO BND  z_l2_n1  0.0
 UP BND  z_l2_n1  1.0
 LO BND  a_l2_n2  -0.1990421712255803
 UP BND  a_l2_n2  0.8112433105707177
 LO BND  z_l2_n2  0.0
 UP BND  z_l2_n2  1.0
 LO BND  a_l2_n3  -0.4648684556017589
 UP BND  a_l2_n3  1.909854196012022
 LO BND  z_l2_n3  0.0
 UP BND  z_l2_n3  1.0
 LO BND  a_l2_n4  -0.2171542676859242
 UP BND  a_l2_n4  1.3779863715171827
 LO BND  z_l2_n4  0.0
 UP BND  z_l2_n4  1.0
ENDATA
